namespace KeaGitOps.Core.Diagnostics;

public static partial class DiagnosticCatalogue
{
    /// <param name="derived">where the value comes from, for Kea keys the inventory derives (this-server-name…).</param>
    public static Diagnostic UnknownKeyFound(SourceLocation at, string key, string where, IReadOnlyCollection<string> allowed, string? derived = null) =>
        Create(UnknownKey, at, derived is not null
            ? $"'{key}' is not written in the inventory: {derived}; remove the key."
            : allowed.Count == 0
                ? $"unknown key '{key}' in {where}; nothing may be added here."
                : $"unknown key '{key}' in {where}; allowed keys: {string.Join(", ", allowed)}.");

    public static Diagnostic RenamedKey(SourceLocation at, string key, string current) =>
        Create(RenamedKeaKey, at, $"'{key}' is an older Kea name; the inventory uses '{current}'. Rename the key.");

    public static Diagnostic SecretKey(SourceLocation at, string key) =>
        Create(SecretInInventory, at, $"'{key}' looks like a secret, and secrets never go into the inventory (it lives in git). Keep it in a file on the server (control-agent.authentication.password-file) or an environment variable.");

    public static Diagnostic MissingKeyFound(SourceLocation at, string key, string where) =>
        Create(MissingKey, at, $"'{key}' is required in {where}; add it.");

    public static Diagnostic WrongTypeFound(SourceLocation at, string path, string expected, string found) =>
        Create(WrongType, at, $"{path} must be {expected}, not {found}" + (found.StartsWith('\'') && expected.Contains("integer", StringComparison.Ordinal) ? " (remove the quotes)." : "."));

    public static Diagnostic InvalidValueFound(SourceLocation at, string path, string value, string explanation) =>
        Create(InvalidValue, at, $"{path} has the value {value}, which is not allowed: {explanation}.");

    /// <summary>A key the inventory's Kea version does not take at that place (the message is the key table's: version, scope, suggestion, allowed keys).</summary>
    public static Diagnostic UnknownKeaKey(SourceLocation at, string message) => Create(UnknownKey, at, Sentence(message));

    /// <summary>A Kea key whose value is not of the type Kea takes for it (the message is the key table's).</summary>
    public static Diagnostic WrongKeaType(SourceLocation at, string message) => Create(WrongType, at, Sentence(message));

    private static string Sentence(string message) => message.EndsWith('?') ? message : message.TrimEnd('.') + ".";

    /// <summary>A key that is neither keagitops's nor one Kea takes at that place.</summary>
    public static Diagnostic UnknownKeyInScope(SourceLocation at, string key, string where, string? suggestion, IReadOnlyCollection<string> own, string version, IReadOnlyCollection<string> kea) =>
        Create(UnknownKey, at, $"unknown key '{key}' in {where}{(suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)")}; keagitops's keys here: {string.Join(", ", own)}; and the keys Kea {version} takes here: {string.Join(", ", kea)}.");

    public static Diagnostic NotPerServer(SourceLocation at, string key, string where, string why) =>
        Create(UnknownKey, at, $"'{key}' cannot be one server's own ({why}): write it at the top level{where}, not under servers[].");

    public static Diagnostic DeprecatedKeaKey(SourceLocation at, string key, string current, string version) =>
        Create(DeprecatedKeaName, at, $"'{key}' is an older Kea name that Kea {version} still reads with a deprecation warning; its current name is '{current}'. Rename the key.");

    public static Diagnostic SettingTwice(SourceLocation at, string keaKey, string ownKey, SourceLocation other) =>
        Create(SettingWrittenTwice, at, $"'{keaKey}' (Kea's key) and '{ownKey}' (keagitops's) both set the same thing; keep one of them.", other);
}
