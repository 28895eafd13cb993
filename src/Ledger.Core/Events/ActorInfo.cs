namespace Ledger.Core.Events;

/// <summary>Who is acting: the real user behind sudo when there is one.</summary>
public static class ActorInfo
{
    public static string Resolve(Func<string, string?> env, string processUser)
    {
        var sudoUser = env("SUDO_USER");
        if (!string.IsNullOrWhiteSpace(sudoUser) && sudoUser != "root" && processUser == "root")
        {
            return sudoUser;
        }

        return processUser;
    }
}
