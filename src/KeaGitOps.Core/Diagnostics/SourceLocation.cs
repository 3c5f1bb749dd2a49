namespace KeaGitOps.Core.Diagnostics;

/// <summary>
/// Where a value came from: a file (as the user would type it, relative to the working folder when
/// possible), a 1-based line and a 1-based column. <see cref="None"/> marks findings that belong to
/// no single file (for example "the inventory has no servers").
/// </summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    public static SourceLocation None { get; } = new(string.Empty, 0, 0);

    public static SourceLocation StartOf(string file) => new(file, 1, 1);

    public bool IsNone => File.Length == 0;

    public override string ToString() => IsNone ? "<inventory>" : $"{File}:{Line}:{Column}";
}
