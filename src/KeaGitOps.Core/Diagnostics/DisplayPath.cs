namespace KeaGitOps.Core.Diagnostics;

/// <summary>Paths as the user would type them: relative to the working folder when inside it, else absolute.</summary>
public static class DisplayPath
{
    public static string Of(string fullPath, string? workingDirectory = null)
    {
        var relative = Path.GetRelativePath(workingDirectory ?? Directory.GetCurrentDirectory(), fullPath);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? fullPath : relative.Replace('\\', '/');
    }
}
