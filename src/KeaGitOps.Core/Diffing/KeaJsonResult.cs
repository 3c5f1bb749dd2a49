using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using KeaGitOps.Core.Diagnostics;

namespace KeaGitOps.Core.Diffing;

/// <summary>Why a Kea configuration file could not be read, at the file:line:col Kea would blame.</summary>
public sealed record KeaJsonError(SourceLocation Location, string Message)
{
    public override string ToString() => $"{Location}: {Message}";
}

/// <summary>A parsed Kea configuration (owns the <see cref="JsonDocument"/>) or the first error found in it.</summary>
public sealed class KeaJsonResult : IDisposable
{
    private KeaJsonResult(JsonDocument? document, KeaJsonError? error)
    {
        Document = document;
        Error = error;
    }

    public JsonDocument? Document { get; }

    public KeaJsonError? Error { get; }

    [MemberNotNullWhen(true, nameof(Document))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Document is not null;

    public static KeaJsonResult Success(JsonDocument document) => new(document, null);

    public static KeaJsonResult Failure(KeaJsonError error) => new(null, error);

    public void Dispose() => Document?.Dispose();
}
