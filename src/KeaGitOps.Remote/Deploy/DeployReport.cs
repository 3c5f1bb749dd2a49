namespace KeaGitOps.Remote.Deploy;

public enum ServerOutcome
{
    /// <summary>Live configs already equal the rendered ones: nothing was touched, nothing restarted.</summary>
    Unchanged,

    /// <summary>--dry-run: changes found, nothing applied.</summary>
    WouldChange,

    Applied,

    /// <summary>A step before the live file was replaced failed: the server kept its config untouched.</summary>
    Refused,

    /// <summary>A step after the replacement failed and the previous config was restored and verified.</summary>
    RolledBack,

    /// <summary>The rollback itself failed: a person must look at this server now.</summary>
    RollbackFailed,

    /// <summary>Not attempted because an earlier server failed or the run was interrupted.</summary>
    NotAttempted,
}

/// <summary>What happened on one server, with the step that decided it.</summary>
public sealed record ServerReport(string Server, ServerOutcome Outcome, string Step, string Message, TimeSpan Duration, IReadOnlyList<string> ChangedFiles);

/// <summary>Progress as it happens, so a person watching sees which server is at which step.</summary>
public interface IDeployProgress
{
    void Step(string server, string step, string detail);
}
