using DiffPlex.Renderer;

namespace KeaGitOps.Cli.Output;

/// <summary>A unified text diff (three lines of context), rendered by DiffPlex.</summary>
public static class UnifiedDiff
{
    public static string Render(string beforeName, string before, string afterName, string after)
    {
        var text = UnidiffRenderer.Instance.Generate(before, after, beforeName, afterName, ignoreWhitespace: false, ignoreCase: false);
        return text.EndsWith('\n') ? text : text + "\n";
    }
}
