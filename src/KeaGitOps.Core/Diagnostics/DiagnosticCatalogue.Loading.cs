namespace KeaGitOps.Core.Diagnostics;

public static partial class DiagnosticCatalogue
{
    public static Diagnostic YamlSyntaxError(SourceLocation at, string parserMessage) =>
        Create(YamlSyntax, at, $"YAML syntax error: {parserMessage}. Fix the YAML at this line (indentation and ':' after keys are the usual causes).");

    public static Diagnostic SeveralDocuments(SourceLocation at) =>
        Create(WrongDocumentShape, at, "a second YAML document ('---') starts here; an inventory file holds one document. Move it into its own file.");

    public static Diagnostic ComplexKey(SourceLocation at) =>
        Create(WrongDocumentShape, at, "a mapping key must be a plain value, not a list or mapping.");

    public static Diagnostic DuplicateKeyFound(SourceLocation at, string key, SourceLocation first) =>
        Create(DuplicateKey, at, $"key '{key}' is given twice (first at {first}); keep one of them.", first);

    public static Diagnostic InventoryFolderMissing(string folder) =>
        Create(UnreadableInventory, SourceLocation.None, $"inventory folder '{folder}' does not exist; pass the right one with --inventory DIR.");

    public static Diagnostic InventoryFolderEmpty(string folder) =>
        Create(UnreadableInventory, SourceLocation.None, $"inventory folder '{folder}' has no *.yaml or *.yml files; the inventory starts with a file such as site.yaml.");

    public static Diagnostic FileUnreadable(string file, string reason) =>
        Create(UnreadableInventory, SourceLocation.StartOf(file), $"cannot read the file: {reason}");

    public static Diagnostic ExpectedMappingFile(SourceLocation at, string found) =>
        Create(WrongDocumentShape, at, $"a top-level inventory file holds a mapping (keys such as servers:, subnets:), but this one holds {found}. Reservation lists go in a folder named by reservations-from.");

    public static Diagnostic ExpectedReservationList(SourceLocation at, string found) =>
        Create(WrongDocumentShape, at, $"a reservations file holds a list of reservations ('- hw-address: …'), but this one holds {found}.");

    public static Diagnostic IncludeOutsideInventory(SourceLocation at, string path) =>
        Create(IncludeNotFound, at, $"reservations-from '{path}' points outside the inventory folder; name a file or folder inside it.");

    public static Diagnostic IncludeMissing(SourceLocation at, string path, string resolved) =>
        Create(IncludeNotFound, at, $"reservations-from '{path}' does not exist (looked for {resolved}); paths are relative to the inventory folder.");
}
