namespace KeaGitOps.Core.Diagnostics;

public enum Severity
{
    Warning,
    Error,
}

/// <summary>
/// One finding. Created only by <see cref="DiagnosticCatalogue"/> so that each code has one message
/// shape, one severity and one documentation entry.
/// </summary>
public sealed record Diagnostic(string Code, Severity Severity, SourceLocation Location, string Message)
{
    /// <summary>Other places the finding involves (the first reservation of a duplicate pair, say).</summary>
    public IReadOnlyList<SourceLocation> Related { get; init; } = [];

    public bool IsError => Severity == Severity.Error;

    public override string ToString() =>
        $"{Location}: {(IsError ? "error" : "warning")} {Code}: {Message}";
}

/// <summary>Collects diagnostics from every stage so all of them are reported at once.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors { get; private set; }

    public void Add(Diagnostic diagnostic)
    {
        _items.Add(diagnostic);
        HasErrors |= diagnostic.IsError;
    }

    public void AddRange(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            Add(diagnostic);
        }
    }

    /// <summary>
    /// Stable order (file, line, column, code) so output and golden files never flap; a finding made
    /// twice (the same template bug hit for each server) is reported once.
    /// </summary>
    public IReadOnlyList<Diagnostic> Sorted() =>
        _items
            .DistinctBy(d => (d.Code, d.Location, d.Message))
            .OrderBy(d => d.Location.File, StringComparer.Ordinal)
            .ThenBy(d => d.Location.Line)
            .ThenBy(d => d.Location.Column)
            .ThenBy(d => d.Code, StringComparer.Ordinal)
            .ThenBy(d => d.Message, StringComparer.Ordinal)
            .ToList();
}
