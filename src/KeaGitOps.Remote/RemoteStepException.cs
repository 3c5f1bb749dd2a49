namespace KeaGitOps.Remote;

/// <summary>A remote step failed for a reason the message explains; the deploy reports it with the server and step.</summary>
public sealed class RemoteStepException(string message) : Exception(message);
