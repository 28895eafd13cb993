using System.Buffers;
using System.Text.RegularExpressions;

namespace Ledger.Core.Text;

// The built-in rules. Every pattern runs on the NonBacktracking engine (linear time, no
// lookarounds, backreferences or atomic groups); what such a pattern cannot say is checked in
// its evaluator. Shapes of provider tokens follow what gitleaks and trufflehog document.
public sealed partial class Redactor
{
    private const RegexOptions Linear = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    // A name that holds a secret: the key must END in one of these, so "passwordFile",
    // "tokenFile" and "hashedPasswordFile" (paths) stay readable.
    private const string SecretName = """(?:pass(?:word|wd|phrase)?|pwd|secret|token|access[_-]?tokens|api[_-]?key|(?:private|secret|access|account|auth|preshared|master|encryption|signing|client|app|license|session|admin)[_-]?key|psk|credentials?|secret[_-]?key[_-]?base)""";

    private static readonly SearchValues<string> AssignmentWords = SearchValues.Create(["pass", "pwd", "secret", "token", "key", "psk", "credential", "identified"], StringComparison.OrdinalIgnoreCase);
    private static readonly SearchValues<char> FoldsOntoAscii = SearchValues.Create("\u017F\u212A\u0130\u0131");
    private static readonly SearchValues<string> AuthorizationWords = SearchValues.Create(["authorization"], StringComparison.OrdinalIgnoreCase);
    private static readonly SearchValues<string> CryptWords = SearchValues.Create(["$1$", "$2a$", "$2b$", "$2x$", "$2y$", "$5$", "$6$", "$7$", "$y$", "$gy$", "$apr1$", "$sha1$", "$argon2", "{SHA}", "{SSHA", "{PBKDF2", "{CRYPT}"], StringComparison.Ordinal);
    private static Regex Rule(string pattern, RegexOptions extra = RegexOptions.None) => new(pattern, Linear | extra);

    /// <summary>
    /// A rule built on first use: building a NonBacktracking regex costs milliseconds, and a short
    /// process (the commit hook, an annotation) needs only the rules its text calls for.
    /// </summary>
    private sealed class LazyRule
    {
        private readonly Lazy<Regex> _regex;

        public LazyRule(Func<Regex> build)
        {
            // Built once: a second thread that needs it meanwhile waits rather than building its own.
            _regex = new Lazy<Regex>(build, LazyThreadSafetyMode.ExecutionAndPublication);
            All.Add(this);
        }

        /// <summary>Every rule, in the order they were declared.</summary>
        public static List<LazyRule> All { get; } = [];

        public Regex Regex => _regex.Value;

        public bool IsBuilt => _regex.IsValueCreated;
    }

    // ---- Armoured blocks ----------------------------------------------------------------------

    // BEGIN line, body, END line. The body cannot hold five dashes in a row, so it stops at the
    // block's END, at the next block's BEGIN, or (the text was cut) at the end of the text.
    // Redaction finds these blocks by hand (NextArmouredBlock in Redactor.Blocks.cs), as this
    // pattern does; the pattern stays as the definition that the scanner is tested against.
    private static readonly LazyRule ArmouredBlockRule = new(() => Rule("""(?<begin>-----BEGIN (?<kind>[A-Z0-9 ]+)-----)(?<body>(?:[^-]|--?-?-?[^-])*)(?<end>-----END [A-Z0-9 ]+-----)?"""));

    // Body lines of a block whose BEGIN line is not in the text (diff context in a later commit):
    // consecutive base64-only lines, with a diff prefix and indentation, up to an END line.
    private static readonly LazyRule ArmouredBodyRule = new(() => Rule("""(?<body>(?:^[+\- ]?[+\- ]?[ \t]*[A-Za-z0-9+/=]+[ \t]*(?:\r?\n|\z))+)(?<end>[+\- ]?[+\- ]?[ \t]*-----END (?<kind>[A-Z0-9 ]+)-----)?""", RegexOptions.Multiline));

    private static readonly LazyRule SopsValueRule = new(() => Rule("""ENC\[AES256_GCM,data:[^\]]*\]"""));

    // ---- Shapes recognised without a name (provider tokens: Redactor.Tokens.cs) ---------------

    // The content of a nix secret-key-files file: name-1:<base64 of 64 bytes> (88 characters).
    // The public key (cache.nixos.org-1:6NCH...=) is 44 characters and stays.
    private static readonly LazyRule NixSigningKeyRule = new(() => Rule("""\b[A-Za-z0-9][A-Za-z0-9._-]*-[0-9]+:(?<secret>[A-Za-z0-9+/]+==)"""));

    // crypt(3) hashes (md5, bcrypt, sha256, sha512, yescrypt, scrypt, apr1, argon2) and LDAP/htpasswd {SHA} forms.
    private static readonly LazyRule CryptHashRule = new(() => Rule("""\$(?:1|2[abxy]|5|6|7|y|gy|apr1|sha1|argon2(?:id|i|d))\$[A-Za-z0-9./$=,+-]+|\{(?:SHA|SSHA|SSHA256|SSHA512|CRYPT|PBKDF2[A-Z0-9-]*)\}[A-Za-z0-9+/.$=]+"""));

    // ---- Values after a name ------------------------------------------------------------------

    private static readonly LazyRule XmlElementRule = new(() => Rule($"""<(?<tag>[A-Za-z0-9_.:-]*{SecretName})(?:[ \t][^>]*)?>(?<secret>[^<]+)</""", RegexOptions.IgnoreCase));

    // docker/podman auth.json: "auth": "base64(user:password)".
    private static readonly LazyRule DockerAuthRule = new(() => Rule("""
        "auth"[ \t]*:[ \t]*"(?<secret>[A-Za-z0-9+/]+=?=?)"
        """));

    // "Authorization: Bearer x", "Authorization": "Basic x", and nginx's proxy_set_header Authorization "Bearer x"
    // (without a ':' the scheme is required, so prose like "Authorization failed" stays).
    private const string AuthScheme = "(?:Bearer|Basic|Token|Bot|Digest|Negotiate|MediaBrowser|Emby)[ \\t]+";

    private static readonly LazyRule AuthorizationHeaderRule = new(() => Rule($"""\b(?:Proxy-)?Authorization["']?(?:[ \t]*[:=][ \t]*["']?(?:{AuthScheme})?|[ \t]+["']?{AuthScheme})(?<secret>[^\s"']+)""", RegexOptions.IgnoreCase));

    // --password=x, --password x, --auth-key=x, --token "x", openssl -pass pass:x.
    private static readonly LazyRule CommandLineSecretRule = new(() => Rule(
        """(?:--(?:[A-Za-z0-9]+-)*(?:password|passwd|passphrase|pass|token|secret|api-?key|auth-?key|access-key|secret-key)(?:=|[ \t]+)|\bpass:)"""
        + """(?:"(?<dq>(?:[^"\\\r\n]|\\.)*)"|'(?<sq>[^'\r\n]*)'|(?<bare>[^\s"'`;|&)]+))""",
        RegexOptions.IgnoreCase));

    // mysql -pPASS, sshpass -p PASS, redis-cli -a PASS, curl -u user:PASS (case matters: -P is a port).
    private static readonly LazyRule CommandLineShortSecretRule = new(() => Rule(
        """(?:\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mariadb|mariadb-dump|mariadb-admin)\b[^\r\n|;&]*?[ \t]-p|\bsshpass[ \t]+(?:-v[ \t]+)?-p[ \t]*|\bredis-cli\b[^\r\n|;&]*?[ \t]-a[ \t]+)"""
        + """(?:"(?<dq>(?:[^"\\\r\n]|\\.)*)"|'(?<sq>[^'\r\n]*)'|(?<bare>[^\s"'`;|&)]+))"""
        + """|(?:^|[ \t])(?:-u|-U|--user|--proxy-user)[ \t]*(?:"(?<user>[^":\r\n]*):(?<dq>[^"\r\n]*)"|'(?<user>[^':\r\n]*):(?<sq>[^'\r\n]*)'|(?<user>[^\s:'"]+):(?<bare>[^\s'"]+))""",
        RegexOptions.Multiline));

    private static readonly LazyRule SqlPasswordRule = new(() => Rule("""\b(?:PASSWORD|IDENTIFIED[ \t]+(?:WITH[ \t]+[A-Za-z0-9_]+[ \t]+)?BY)[ \t]+'(?<secret>(?:[^'\r\n]|'')*)'""", RegexOptions.IgnoreCase));

    // .netrc: "machine h login u password p" on one line, or "password p" as a line of its own.
    private static readonly LazyRule NetrcPasswordRule = new(() => Rule("""\blogin[ \t]+[^\s]+[ \t]+password[ \t]+(?<secret>[^\s]+)|^[+\- ]?[ \t]*password[ \t]+(?<secret>[^\s]+)[ \t]*\r?$""", RegexOptions.Multiline));

    // .pgpass: host:port:database:user:password, a whole line.
    private static readonly LazyRule PgpassLineRule = new(() => Rule("""^(?<lead>[+\- ]?[ \t]*)(?<fields>[^:\s#]+:(?:[0-9]{1,5}|\*):[^:\s]+:[^:\s]+:)(?<secret>[^\s]+)[ \t]*\r?$""", RegexOptions.Multiline));

    private static readonly LazyRule UrlCredentialsRule = new(() => Rule("""\b[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s"'<>]*:(?<secret>[^/\s"'<>]+)@"""));

    // name = value, name: value, "name": "value", name="value" (Nix, env, YAML, JSON, TOML, INI,
    // headers, URL queries). A quoted value runs to its closing quote; a bare one to the end of
    // the line, a ';', ',' or '}' (the evaluator cuts a trailing comment, and a URL query's '&').
    private static readonly LazyRule AssignmentRule = new(() => Rule(
        $"""(?<q>[?&])?\b(?<key>[A-Za-z0-9_.-]*{SecretName})["']?[ \t]*[:=][ \t]*(?:(?:lib\.)?mk[A-Za-z]+[ \t]+(?:[0-9]+[ \t]+)?)?"""
        + """(?:"(?<dq>(?:[^"\\\r\n]|\\.)*)"|'(?<sq>[^'\r\n]*)'|(?<bare>[^\s"'`;,{}\[\]()][^\r\n;,}]*))""",
        RegexOptions.IgnoreCase));

    // The start of a multi-line value: YAML "password: |" / "secret: >-", Nix "password = ''".
    private static readonly LazyRule BlockHeaderRule = new(() => Rule(
        $"""\b(?<key>[A-Za-z0-9_.-]*{SecretName})["']?[ \t]*(?:(?<yaml>:[ \t]*[|>][-+0-9]*[ \t]*(?:#[^\r\n]*)?\r?\n)|(?<nix>=[ \t]*(?:(?:lib\.)?mk[A-Za-z]+[ \t]+)?''))""",
        RegexOptions.IgnoreCase));
}
