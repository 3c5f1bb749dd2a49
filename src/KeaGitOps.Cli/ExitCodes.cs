namespace KeaGitOps.Cli;

/// <summary>The exit codes scripts depend on (README, "Exit codes").</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Validation errors, a failed render, or a failed remote step.</summary>
    public const int Failure = 1;

    /// <summary>diff found changes; deploy --dry-run found changes to apply.</summary>
    public const int Changes = 2;

    /// <summary>status --check (the monitoring-plugin convention, like Nagios' plugins): WARNING.</summary>
    public const int CheckWarning = 1;

    /// <summary>status --check: CRITICAL (a server unreachable or its kea-dhcp4 down, a pool at the critical threshold, HA terminated).</summary>
    public const int CheckCritical = 2;

    /// <summary>status --check: UNKNOWN (the inventory is invalid, or a server could not be asked).</summary>
    public const int CheckUnknown = 3;

    /// <summary>The command line itself is wrong (unknown option, bad value): BSD sysexits' EX_USAGE.</summary>
    public const int UsageError = 64;
}
