using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Validation;
using Xunit;

namespace KeaGitOps.Tests.Validation;

/// <summary>Assertions on a validation result that print every finding when they fail.</summary>
internal static class Findings
{
    /// <summary>The one finding with <paramref name="code"/> at <paramref name="at"/>, checked for its severity.</summary>
    public static Diagnostic AssertReported(this ValidationResult result, string code, Severity severity, SourceLocation at)
    {
        var matches = result.Diagnostics.Where(d => d.Code == code && d.Location == at).ToList();
        Assert.True(matches.Count == 1, $"expected one {code} at {at}, found {matches.Count} among:\n{List(result)}");
        Assert.Equal(severity, matches[0].Severity);
        return matches[0];
    }

    /// <summary>The one finding with <paramref name="code"/>, wherever it is.</summary>
    public static Diagnostic AssertReportedOnce(this ValidationResult result, string code)
    {
        var matches = result.Diagnostics.Where(d => d.Code == code).ToList();
        Assert.True(matches.Count == 1, $"expected one {code}, found {matches.Count} among:\n{List(result)}");
        return matches[0];
    }

    /// <summary>Exactly these codes (in any order, with repeats) and nothing else.</summary>
    public static void AssertCodes(this ValidationResult result, params string[] codes) =>
        Assert.True(
            codes.Order(StringComparer.Ordinal).SequenceEqual(result.Diagnostics.Select(d => d.Code).Order(StringComparer.Ordinal)),
            $"expected {string.Join(", ", codes)}; found:\n{List(result)}");

    public static void AssertNotReported(this ValidationResult result, string code) =>
        Assert.False(result.Diagnostics.Any(d => d.Code == code), $"{code} should not be reported; found:\n{List(result)}");

    public static string List(ValidationResult result) =>
        result.Diagnostics.Count == 0 ? "(no findings)" : string.Join("\n", result.Diagnostics);
}
