namespace KeaGitOps.Core.Inventory;

/// <summary>
/// The Kea versions keagitops renders for, their names in the inventory, and what each accepts. The
/// answers come from Kea's grammar at each release tag (src/bin/dhcp4/dhcp4_lexer.ll) and were checked
/// with the real binaries (Debian 12's 2.2.0, Debian 13's 2.6.3, Debian testing's 3.0).
/// </summary>
public static class KeaVersions
{
    /// <summary>Every version, oldest first, with its inventory name.</summary>
    public static IReadOnlyList<(KeaVersion Version, string Name)> All { get; } =
        [(KeaVersion.V2_2, "2.2"), (KeaVersion.V2_6, "2.6"), (KeaVersion.V3_0, "3.0")];

    public static string Name(this KeaVersion version) => All.First(v => v.Version == version).Name;

    public static KeaVersion? Parse(string name) =>
        All.FirstOrDefault(v => v.Name == name) is { Name: not null } found ? found.Version : null;

    /// <summary>
    /// Hooks only from the hooks directory and control sockets only in the socket directory, bare names
    /// resolved there (2.6.3 and 3.0; 2.2 searches a bare library name like any shared library and fails).
    /// The directory check compares strings, so only bare names are portable between packagings.
    /// </summary>
    public static bool TakesBareNames(this KeaVersion version) => version >= KeaVersion.V2_6;

    /// <summary>Loggers' <c>output-options</c> (2.5.1 on; every version reads the older <c>output_options</c>, 3.0 with a warning).</summary>
    public static bool TakesOutputOptions(this KeaVersion version) => version >= KeaVersion.V2_6;

    /// <summary>A pool's <c>client-classes</c> list (2.7.5 on); older versions only take one <c>client-class</c>, which 3.0 still reads with a deprecation warning.</summary>
    public static bool TakesPoolClientClasses(this KeaVersion version) => version >= KeaVersion.V3_0;

    /// <summary>Whether the open-source packages ship libdhcp_host_cmds.so and libdhcp_subnet_cmds.so (reservations and subnet settings changed at runtime): from 3.0.</summary>
    public static bool ShipsRuntimeCommands(this KeaVersion version) => version >= KeaVersion.V3_0;

    /// <summary>
    /// Whether a server that reports <paramref name="running"/> (what <c>kea-dhcp4 -V</c> prints first, "3.0.4")
    /// is a release of <paramref name="version"/>: same major and minor number.
    /// </summary>
    public static bool IsReleaseOf(string running, KeaVersion version) => IsReleaseOf(running, version.Name());

    /// <summary>Whether <paramref name="running"/> ("3.0.4") is a release of <paramref name="wanted"/> ("3.0", or more precise: it must match as far as it goes).</summary>
    public static bool IsReleaseOf(string running, string wanted) =>
        running.Trim() is var text && (text == wanted || text.StartsWith(wanted + ".", StringComparison.Ordinal));
}
