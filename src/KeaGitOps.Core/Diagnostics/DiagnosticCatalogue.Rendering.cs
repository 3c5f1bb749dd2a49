namespace KeaGitOps.Core.Diagnostics;

public static partial class DiagnosticCatalogue
{
    public static Diagnostic TemplateSyntax(SourceLocation at, string message) =>
        Create(TemplateError, at, $"template syntax error: {message}. Fix the template.");

    public static Diagnostic TemplateRuntime(SourceLocation at, string message) =>
        Create(TemplateError, at, $"template failed while rendering: {message}. Check the member names against RenderModel.cs (snake_case).");

    public static Diagnostic TemplateJson(SourceLocation at, int outputLine, string outputText, string parserMessage) =>
        Create(TemplateInvalidJson, at, $"the template produced invalid JSON at output line {outputLine} ('{outputText}'): {parserMessage}. Strings in the model are already quoted: emit them without surrounding quotes.");

    public static Diagnostic IdentityWrong(SourceLocation at, string server, string problem) =>
        Create(RenderedIdentity, at, $"in {server}'s rendered kea-dhcp4.conf, {problem}; its HA listener would bind the wrong address. The template must use this_server.name and each server's peer_url.");

    public static Diagnostic ConfigsDiverge(SourceLocation at, string first, string second, IReadOnlyList<string> paths, int count) =>
        Create(RenderedConfigsDiverge, at, $"{first} and {second} differ in {count} place(s) beyond this-server-name and per-server facts ({string.Join(", ", paths)}{(count > paths.Count ? ", …" : string.Empty)}); the template must render shared settings the same for every server.");
}
