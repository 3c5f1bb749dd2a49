namespace KeaGitOps.Core.Diagnostics;

public static partial class DiagnosticCatalogue
{
    public static Diagnostic YamlSyntaxError(SourceLocation at, string parserMessage) =>
        Create(YamlSyntax, at, $"YAML syntax error: {parserMessage}. Fix the YAML at this line (indentation and ':' after keys are the usual causes).");

    public static Diagnostic FlowNotClosed(SourceLocation at, char bracket, int noticedAt, string parserMessage) =>
        Create(YamlSyntax, at, $"YAML syntax error: the '{bracket}' here is still open at line {noticedAt} ({parserMessage}). Close it on this line.");

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

    public static Diagnostic TooManyAliases(SourceLocation at, int limit) =>
        Create(YamlRefused, at, $"this file uses more than {limit:N0} aliases (*name); write the values out instead.");

    public static Diagnostic AliasesTooLarge(SourceLocation at, int limit) =>
        Create(YamlRefused, at, $"the aliases (*name) in this file stand for more than {limit:N0} values in all (an alias bomb?); write the values out instead.");

    public static Diagnostic AliasesTooLargeInAll(SourceLocation at, int limit) =>
        Create(YamlRefused, at, $"with this file, the inventory's aliases (*name) stand for more than {limit:N0} values in all; write the values out instead.");

    public static Diagnostic NestedTooDeep(SourceLocation at, int limit) =>
        Create(YamlRefused, at, $"values are nested more than {limit} levels deep here; an inventory needs far fewer.");

    public static Diagnostic MergeKey(SourceLocation at) =>
        Create(YamlRefused, at, "merge keys ('<<: *name') are YAML 1.1 and not read here; write the keys out.");

    public static Diagnostic TagRefused(SourceLocation at, string tag) =>
        Create(YamlRefused, at, $"the tag '{tag}' is not read here (only !!str is); remove it and write the plain value.");

    public static Diagnostic FileNotUtf8(SourceLocation at, string problem) =>
        Create(NotUtf8, at, $"the file {problem}; every inventory and template file is UTF-8. Save it as UTF-8.");

    public static Diagnostic LinkLoops(SourceLocation at, string link, string? target) =>
        Create(LinkRefused, at, $"the symbolic link {link}{Arrow(target)} leads back into a folder that contains it (or to itself), so it would be read without end; remove the link.");

    public static Diagnostic LinkLeavesInventory(SourceLocation at, string link, string? target) =>
        Create(LinkRefused, at, $"the symbolic link {link}{Arrow(target)} leads outside the inventory folder; copy the file into the inventory instead.");

    public static Diagnostic LinkBroken(SourceLocation at, string link, string? target) =>
        Create(IncludeNotFound, at, $"the symbolic link {link}{Arrow(target)} leads nowhere; fix or remove it.");

    public static Diagnostic ReferencedTwice(SourceLocation at, string path, string file, string firstPath, SourceLocation first) =>
        Create(ReservationsReadTwice, at, $"reservations-from '{path}' names {file}, which reservations-from '{firstPath}' at {first} already reads; a reservations file belongs to one subnet. Remove one of the two.", first);

    public static Diagnostic ReachedTwice(SourceLocation at, string path, string file, string again) =>
        Create(ReservationsReadTwice, at, $"reservations-from '{path}' reaches one file twice, as {file} and as {again} (a symbolic link to the other); it is read once. Remove the link.");

    public static Diagnostic TemplateUnreadable(SourceLocation at, string reason) =>
        Create(TemplateError, at, $"cannot read the template: {reason}. Every template of the set must be in the templates folder.");

    public static Diagnostic IncludeOutsideInventory(SourceLocation at, string path) =>
        Create(IncludeNotFound, at, $"reservations-from '{path}' points outside the inventory folder; name a file or folder inside it.");

    public static Diagnostic IncludeMissing(SourceLocation at, string path, string resolved) =>
        Create(IncludeNotFound, at, $"reservations-from '{path}' does not exist (looked for {resolved}); paths are relative to the inventory folder.");

    private static string Arrow(string? target) => target is null ? string.Empty : $" (-> {target})";
}
