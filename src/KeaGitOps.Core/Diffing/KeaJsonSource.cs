using System.Text;
using KeaGitOps.Core.Diagnostics;

namespace KeaGitOps.Core.Diffing;

/// <summary>
/// The text a JSON parser should see for a Kea configuration file: comments blanked out and
/// <c>&lt;?include "path"?&gt;</c> directives replaced by the included files, as Kea's lexer does it.
/// Every character remembers the file and offset it came from, so a JSON error found in the expanded
/// text can be reported at its place in the file the user wrote.
/// </summary>
internal sealed class KeaJsonSource
{
    /// <summary>Kea's lexer refuses a file opened while more than 10 are already open.</summary>
    public const int MaxIncludeDepth = 10;

    private readonly List<Segment> segments;

    private KeaJsonSource(string text, List<Segment> segments, SourceFile root)
    {
        Text = text;
        this.segments = segments;
        Root = root;
    }

    public string Text { get; }

    private SourceFile Root { get; }

    /// <summary>
    /// Expands <paramref name="text"/>, read from <paramref name="path"/>; includes are resolved against its
    /// folder and read by <paramref name="readInclude"/>. Errors name files as <paramref name="display"/> shows
    /// them (a server's name before the path, say), which never feeds back into the paths themselves.
    /// </summary>
    public static (KeaJsonSource? Source, KeaJsonError? Error) Expand(string text, string path, Func<string, string?> readInclude, Func<string, string>? display = null)
    {
        display ??= p => p;
        var expander = new Expander(readInclude, display);
        var root = new SourceFile(path, display(path), text);
        var error = expander.Append(root, []);
        return error is null ? (new KeaJsonSource(expander.Output.ToString(), expander.Segments, root), null) : (null, error);
    }

    /// <summary>The file, line and column that the character at <paramref name="offset"/> in <see cref="Text"/> came from.</summary>
    public SourceLocation Locate(int offset)
    {
        if (segments.Count == 0)
        {
            return Root.Locate(0);
        }

        // The last segment starting at or before the offset; an offset past its end (the end of the
        // text) is placed just after that segment's last character.
        var low = 0;
        var high = segments.Count - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (segments[middle].ExpandedStart <= offset)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        var segment = segments[low];
        var within = Math.Clamp(offset - segment.ExpandedStart, 0, segment.Length);
        return segment.File.Locate(segment.SourceStart + within);
    }

    /// <summary>A run of <see cref="Text"/> copied unchanged (comments aside) from one file.</summary>
    private readonly record struct Segment(int ExpandedStart, int Length, SourceFile File, int SourceStart);

    private sealed class SourceFile
    {
        private readonly int[] lineStarts;

        public SourceFile(string path, string display, string text)
        {
            Path = path;
            Display = display;
            Text = text;
            var starts = new List<int> { 0 };
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    starts.Add(i + 1);
                }
            }

            lineStarts = [.. starts];
        }

        public string Path { get; }

        /// <summary>The path as messages show it.</summary>
        public string Display { get; }

        public string Text { get; }

        public SourceLocation Locate(int offset)
        {
            var index = Array.BinarySearch(lineStarts, offset);
            var line = index >= 0 ? index : ~index - 1;
            return new SourceLocation(Display, line + 1, offset - lineStarts[line] + 1);
        }
    }

    private sealed class Expander(Func<string, string?> readInclude, Func<string, string> display)
    {
        public StringBuilder Output { get; } = new();

        public List<Segment> Segments { get; } = [];

        /// <summary>Appends <paramref name="file"/>, expanded; <paramref name="including"/> is the chain of files that led to it.</summary>
        public KeaJsonError? Append(SourceFile file, List<string> including)
        {
            var text = file.Text;
            var chars = text.ToCharArray();
            var copiedUpTo = 0;
            var i = 0;
            while (i < text.Length)
            {
                var next = i + 1 < text.Length ? text[i + 1] : '\0';
                switch (text[i])
                {
                    case '"':
                        i = SkipString(text, i);
                        break;
                    case '#':
                    case '/' when next == '/':
                        i = Blank(chars, i, LineEnd(text, i));
                        break;
                    case '/' when next == '*':
                        var close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                        if (close < 0)
                        {
                            return new KeaJsonError(file.Locate(i), "comment not closed: this /* has no */");
                        }

                        i = Blank(chars, i, close + 2);
                        break;
                    case '<' when next == '?':
                        var (includePath, end, syntaxError) = ReadDirective(text, i);
                        if (syntaxError is not null)
                        {
                            return new KeaJsonError(file.Locate(i), syntaxError);
                        }

                        Copy(file, chars, copiedUpTo, i);
                        var includeError = Include(file, i, includePath!, including);
                        if (includeError is not null)
                        {
                            return includeError;
                        }

                        copiedUpTo = i = end;
                        break;
                    case '+' or '.' or '-' or (>= '0' and <= '9'):
                        (i, copiedUpTo) = Number(file, chars, i, copiedUpTo);
                        break;
                    default:
                        i++;
                        break;
                }
            }

            Copy(file, chars, copiedUpTo, text.Length);
            return null;
        }

        /// <summary>
        /// Kea's lexer reads floats as <c>[-+]?[0-9]*\.?[0-9]*([eE][-+]?[0-9]+)?</c>, so its own examples
        /// write <c>.5</c>; JSON does not allow a leading <c>+</c>, a bare leading or trailing dot. Such a
        /// number is rewritten into the JSON spelling of the same value (<c>+.5</c> → <c> 0.5</c>,
        /// <c>5.</c> → <c>5.0</c>); every character keeps its place in the file for error messages.
        /// Returns the offset after the number and how far <paramref name="chars"/> has been copied.
        /// </summary>
        private (int Next, int CopiedUpTo) Number(SourceFile file, char[] chars, int start, int copiedUpTo)
        {
            var text = file.Text;
            var i = start;
            if (text[i] is '+' or '-')
            {
                i++;
            }

            var integerStart = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            var hasInteger = i > integerStart;
            var dot = i < text.Length && text[i] == '.' ? i : -1;
            if (dot < 0)
            {
                var end = SkipExponent(text, Math.Max(i, start + 1));
                if (text[start] == '+' && hasInteger)
                {
                    // Kea reads "+3" with its float rule (its integer rule has no '+'): keep it a float.
                    chars[start] = ' ';
                    if (end == i)
                    {
                        copiedUpTo = InsertText(file, chars, copiedUpTo, i, ".0");
                    }
                }

                return (end, copiedUpTo);
            }

            i++;
            var fractionStart = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            var hasFraction = i > fractionStart;
            if (!hasInteger && !hasFraction)
            {
                // A lone dot or sign: not a number; the JSON parser reports it.
                return (i, copiedUpTo);
            }

            if (text[start] == '+')
            {
                chars[start] = ' ';
            }

            if (!hasInteger)
            {
                copiedUpTo = InsertZero(file, chars, copiedUpTo, dot);
            }

            if (!hasFraction)
            {
                copiedUpTo = InsertZero(file, chars, copiedUpTo, dot + 1);
            }

            return (SkipExponent(text, i), copiedUpTo);
        }

        /// <summary>The offset after an exponent (<c>e+3</c>) at <paramref name="i"/>, if there is one; its sign is JSON already.</summary>
        private static int SkipExponent(string text, int i)
        {
            if (i >= text.Length || text[i] is not ('e' or 'E'))
            {
                return i;
            }

            var j = i + 1;
            if (j < text.Length && text[j] is '+' or '-')
            {
                j++;
            }

            var digits = j;
            while (j < text.Length && char.IsAsciiDigit(text[j]))
            {
                j++;
            }

            return j > digits ? j : i;
        }

        /// <summary>Copies up to <paramref name="at"/> and adds a "0" that error messages place at <paramref name="at"/>.</summary>
        private int InsertZero(SourceFile file, char[] chars, int copiedUpTo, int at) => InsertText(file, chars, copiedUpTo, at, "0");

        /// <summary>Copies up to <paramref name="at"/> and adds <paramref name="inserted"/>, which error messages place at <paramref name="at"/>.</summary>
        private int InsertText(SourceFile file, char[] chars, int copiedUpTo, int at, string inserted)
        {
            Copy(file, chars, copiedUpTo, at);
            var place = Math.Min(at, file.Text.Length - 1);
            foreach (var c in inserted)
            {
                Segments.Add(new Segment(Output.Length, 1, file, place));
                Output.Append(c);
            }

            return at;
        }

        private KeaJsonError? Include(SourceFile file, int directive, string includePath, List<string> including)
        {
            var resolved = ResolveInclude(file.Path, includePath);
            var chain = including.Append(file.Path).ToList();
            if (chain.Exists(p => SameFile(p, resolved)))
            {
                return new KeaJsonError(file.Locate(directive), $"include cycle: {string.Join(" -> ", chain.SkipWhile(p => !SameFile(p, resolved)).Select(display))} -> {display(resolved)}");
            }

            if (chain.Count > MaxIncludeDepth)
            {
                return new KeaJsonError(file.Locate(directive), $"includes nested more than {MaxIncludeDepth} deep: {string.Join(" -> ", chain.Select(display))} -> {display(resolved)}");
            }

            var included = readInclude(resolved);
            return included is null
                ? new KeaJsonError(file.Locate(directive), $"cannot read included file {display(resolved)}")
                : Append(new SourceFile(resolved, display(resolved), included), chain);
        }

        private void Copy(SourceFile file, char[] chars, int from, int to)
        {
            if (to > from)
            {
                Segments.Add(new Segment(Output.Length, to - from, file, from));
                Output.Append(chars, from, to - from);
            }
        }

        /// <summary>The offset just past the string starting at <paramref name="quote"/>; a comment marker inside a string is text.</summary>
        private static int SkipString(string text, int quote)
        {
            var i = quote + 1;
            while (i < text.Length)
            {
                switch (text[i])
                {
                    case '\\':
                        i += 2;
                        break;
                    case '"':
                        return i + 1;
                    case '\n':
                        // A JSON string cannot span lines: leave the error to the JSON parser, and go on
                        // lexing the next line as Kea would (so its comments are still comments).
                        return i;
                    default:
                        i++;
                        break;
                }
            }

            return text.Length;
        }

        private static int LineEnd(string text, int from)
        {
            var end = text.IndexOf('\n', from);
            return end < 0 ? text.Length : end;
        }

        /// <summary>Turns a comment into spaces, keeping its line breaks so that lines and columns stay put.</summary>
        private static int Blank(char[] chars, int from, int to)
        {
            for (var i = from; i < to; i++)
            {
                if (chars[i] is not ('\n' or '\r'))
                {
                    chars[i] = ' ';
                }
            }

            return to;
        }

        /// <summary>
        /// Reads <c>&lt;?include "path"?&gt;</c> at <paramref name="start"/>; like Kea's lexer, it allows
        /// white space (line breaks too) between its parts and no quote or line break in the path.
        /// </summary>
        private static (string? Path, int End, string? Error) ReadDirective(string text, int start)
        {
            const string Usage = "expected <?include \"path\"?>";
            var i = SkipSpace(text, start + 2);
            if (string.CompareOrdinal(text, i, "include", 0, "include".Length) != 0)
            {
                return (null, 0, Usage);
            }

            i = SkipSpace(text, i + "include".Length);
            if (i >= text.Length || text[i] != '"')
            {
                return (null, 0, Usage);
            }

            var pathEnd = text.IndexOfAny(['"', '\n'], i + 1);
            if (pathEnd < 0 || text[pathEnd] != '"' || pathEnd == i + 1)
            {
                return (null, 0, Usage);
            }

            var path = text[(i + 1)..pathEnd];
            i = SkipSpace(text, pathEnd + 1);
            return string.CompareOrdinal(text, i, "?>", 0, 2) == 0
                ? (path, i + 2, null)
                : (null, 0, "include directive not closed: expected ?> after the path");
        }

        private static int SkipSpace(string text, int i)
        {
            while (i < text.Length && text[i] is ' ' or '\t' or '\r' or '\n')
            {
                i++;
            }

            return i;
        }

        /// <summary>
        /// An include path is taken relative to the including file's folder. (Kea itself opens it
        /// relative to its working folder; for a configuration kept in a repository, the including
        /// file's folder is the only base that means the same thing on every machine.)
        /// </summary>
        private static string ResolveInclude(string includingPath, string includePath) =>
            Path.IsPathRooted(includePath)
                ? includePath
                : Path.Combine(Path.GetDirectoryName(includingPath) ?? string.Empty, includePath).Replace('\\', '/');

        private static bool SameFile(string left, string right) =>
            string.Equals(Path.GetFullPath(left), Path.GetFullPath(right), StringComparison.Ordinal);
    }
}
