# The checklist that `ledger validate --config FILE` reads, from the attribute set of
# services.ledger.checks. Builtins only (no nixpkgs), so CI can evaluate it on its own:
#   nix-instantiate --eval --strict --json nix/tests/checks-sample.nix
#
#   checksToJson {
#     rebuild = { kind = "nixos-rebuild"; mode = "test"; order = 0; };
#     disk-root = { kind = "disk"; mount = "/"; maxUsedPercent = 90; };
#   }
#   => {"checks":[{"kind":"nixos-rebuild","mode":"test","name":"rebuild"},
#                 {"kind":"disk","maxUsedPercent":90,"mount":"/","name":"disk-root"}]}
#
# - The attribute name is the check's name ("name" may be repeated in the value, but must agree).
# - Every other field is written as it is: the fields of each kind are those of checks.json
#   (`ledger validate --example-config`), and ledger checks them, not this function.
# - Fields set to null are left out (ledger's default applies).
# - "order" (an integer, default 1000) is not written: checks run by ascending order, then by
#   name. `ledger validate` runs them in the listed order, and a nixos-rebuild check activates the
#   configuration the later checks look at, so give it a low order.
checks:
let
  defaultOrder = 1000;

  orderOf =
    name:
    let
      value = checks.${name}.order or null;
    in
    if value == null then
      defaultOrder
    else if builtins.isInt value then
      value
    else
      throw "services.ledger.checks.${name}.order must be an integer (got ${builtins.typeOf value})";

  byOrderThenName =
    a: b:
    let
      oa = orderOf a;
      ob = orderOf b;
    in
    if oa == ob then a < b else oa < ob;

  entry =
    name:
    let
      fields = checks.${name};
      written = builtins.removeAttrs fields [ "order" ];
      set = builtins.filter (field: written.${field} != null) (builtins.attrNames written);
    in
    if !(builtins.isAttrs fields) then
      throw "services.ledger.checks.${name} must be an attribute set of the check's fields"
    else if (fields.name or name) != name then
      throw "services.ledger.checks.${name}: name is \"${fields.name}\"; leave it out, the attribute name is the check's name"
    else if (fields.kind or null) == null then
      throw "services.ledger.checks.${name}: kind is missing (nixos-rebuild, containers, gpu, prometheus-targets, http, disk, systemd or doc-headers)"
    else
      # orderOf is forced here too, so a bad "order" is reported even for a lone check.
      builtins.seq (orderOf name) (
        builtins.listToAttrs (
          map (field: {
            name = field;
            value = written.${field};
          }) set
        )
        // {
          inherit name;
        }
      );
in
builtins.toJSON {
  checks = map entry (builtins.sort byOrderThenName (builtins.attrNames checks));
}
