namespace KeaGitOps.Cli;

/// <summary>The exit codes scripts depend on (README, "Exit codes").</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Validation errors, a failed render, or a failed remote step.</summary>
    public const int Failure = 1;

    /// <summary>diff found changes; deploy --dry-run found changes to apply.</summary>
    public const int Changes = 2;

    /// <summary>The command line itself is wrong (unknown option, bad value): BSD sysexits' EX_USAGE.</summary>
    public const int UsageError = 64;
}
