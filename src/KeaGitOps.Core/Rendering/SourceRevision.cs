namespace KeaGitOps.Core.Rendering;

/// <summary>The git commit an inventory was rendered from, and whether the inventory or templates had uncommitted edits.</summary>
public sealed record SourceRevision(string Commit, bool Dirty);
