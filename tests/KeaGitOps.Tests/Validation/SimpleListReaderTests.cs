using System.Globalization;
using System.Text;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Validation;

/// <summary>
/// The fast path for reservation files must read exactly what YamlDotNet reads (nodes, scalar types,
/// locations, findings) on every file it accepts, in every style it takes (flow with either quotes,
/// block), and decline every file outside its shape.
/// </summary>
public sealed class SimpleListReaderTests
{
    private const string File = "reservations/lan.yaml";

    /// <summary>Every node as one line: kind, value, scalar type, file:line:col; a mapping's entries in order.</summary>
    private static string Describe(Node? node)
    {
        var text = new StringBuilder();
        Append(node, text, 0);
        return text.ToString();

        static void Append(Node? node, StringBuilder text, int depth)
        {
            text.Append(' ', depth * 2);
            switch (node)
            {
                case null:
                    text.Append("(none)\n");
                    break;
                case ScalarNode scalar:
                    text.Append($"scalar {scalar.Kind} '{scalar.Value}' at {scalar.Location}\n");
                    break;
                case SequenceNode sequence:
                    text.Append($"sequence at {sequence.Location}\n");
                    foreach (var item in sequence.Items)
                    {
                        Append(item, text, depth + 1);
                    }

                    break;
                case MappingNode mapping:
                    text.Append($"mapping at {mapping.Location}\n");
                    foreach (var entry in mapping.Entries)
                    {
                        Append(entry.Key, text, depth + 1);
                        Append(entry.Value, text, depth + 2);
                    }

                    break;
            }
        }
    }

    private static (string Nodes, string Findings) Fast(string yaml)
    {
        var diagnostics = new DiagnosticBag();
        Assert.True(SimpleListReader.TryRead(yaml, File, diagnostics, out var root), "the fast path declined:\n" + yaml);
        return (Describe(root), string.Join("\n", diagnostics.Items));
    }

    private static (string Nodes, string Findings) General(string yaml)
    {
        var diagnostics = new DiagnosticBag();
        var root = YamlReader.ReadWithYamlDotNet(yaml, File, diagnostics);
        return (Describe(root), string.Join("\n", diagnostics.Items));
    }

    [Theory]
    [InlineData("- { hw-address: \"bc:24:11:16:c6:92\", ip-address: 192.168.1.74, hostname: influxdb }\n")]
    [InlineData("# Reservations of subnet 1\n\n- { hw-address: 02:00:00:00:00:01, ip-address: 10.0.0.2, hostname: h0-1 }  # import: conflict: x\n  # an indented comment\n- { client-id: \"01:aa:bb\", ip-address: \"10.0.0.3\" }")]
    [InlineData("- { a: 8000, b: \"8000\", c: true, d: null, e: 1.5, f: 0x1F, g: 1e3, h: 00:11, i: 1+1, j: TRUE, k: a/b, l: \"é 中 # ,}\" }\n")]
    [InlineData("- { hostname: kitchen, hostname: hall }\n- { hostname: x }\n")]
    // PyYAML's flow style: no spaces inside the braces, single quotes
    [InlineData("- {hostname: h0-0, hw-address: '02:00:00:00:00:00', ip-address: 10.0.0.2}\n- {hostname: h0-1, hw-address: '02:00:00:00:00:01', ip-address: 10.0.0.3}\n")]
    [InlineData("- {a: 'it''s', b: '''', c: '''x''', d: '', e: 'a \"b\" # c, }', f: '8000', g: 'true', h: 'é'}\n")]
    [InlineData("- {a: b,c: d ,  e: f}\n- {  a: b  }   # spaces\n")]
    [InlineData("- { \"quoted key\": a, 'single key': b, \"8000\": c }\n")]
    [InlineData("- { a: b c, d: b  c   , e: 1 2 }\n")]
    [InlineData("- { a:   b, c:  'd' }\n")]
    // block style, as PyYAML's default dump, yq and people write it
    [InlineData("- hostname: h0-0\n  hw-address: 02:00:00:00:00:00\n  ip-address: 10.0.0.2\n- hostname: h0-1\n  hw-address: 02:00:00:00:00:01\n  ip-address: 10.0.0.3\n")]
    [InlineData("# lab\n- hw-address: 'bc:24:11:16:c6:92'   # printer\n  ip-address: \"192.168.1.74\" # fixed\n\n  # between keys\n  hostname: printer kitchen\n# between items\n- hw-address: bc:24:11:16:c6:93\n")]
    [InlineData("  - a: b\n    c: d\n  - e: f\n")]
    [InlineData("-   a: b\n    c: d\n-  e: f\n   g: h\n")]
    [InlineData("- a: 1\n  a: 2\n  b: x\n  b: y\n- a: 3\n")]
    [InlineData("- a: true\n  b: ''\n  c: 'x''y'\n  d: 1.5\n  e: 0o17\n  f: null\n  g: Null\n  h: 1e3\n  \"i\": j\n")]
    [InlineData("- a: b c  d  # comment\n  e: f   \n")]
    [InlineData("- { a: b }\n- c: d\n  e: f\n- {g: h}\n")]
    [InlineData("- a: b\n- {c: d}\n")]
    [InlineData("- a: b")]
    [InlineData("\n\n- a: 'b'\n\n")]
    public void On_a_file_it_accepts_it_reads_what_yamldotnet_reads(string yaml)
    {
        Assert.Equal(General(yaml), Fast(yaml));
    }

    /// <summary>The three styles of the benchmark's generator (flow-double, PyYAML's flow, block) on the same data.</summary>
    [Theory]
    [InlineData("- {{ hw-address: \"{0}\", ip-address: {1}, hostname: {2} }}\n")]
    [InlineData("- {{hostname: {2}, hw-address: '{0}', ip-address: {1}}}\n")]
    [InlineData("- hostname: {2}\n  hw-address: {0}\n  ip-address: {1}\n")]
    public void Each_benchmark_style_reads_the_same_both_ways(string format)
    {
        var text = new StringBuilder();
        for (var i = 0; i < 300; i++)
        {
            text.AppendFormat(CultureInfo.InvariantCulture, format, $"02:00:00:00:{i >> 8:x2}:{i & 0xFF:x2}", $"10.0.{i >> 8}.{i & 0xFF}", $"h0-{i}");
        }

        var yaml = text.ToString();
        Assert.Equal(General(yaml), Fast(yaml));
    }

    private static readonly string[] Values =
    [
        "10.0.0.1", "\"bc:24:11:16:c6:92\"", "'bc:24:11:16:c6:92'", "bc:24:11:16:c6:92", "8000", "\"x y\"", "'it''s'", "''", "true", "False", "null",
        "1.5", "a-b_c.d/e+f", "\"\"", "\"ü\"", "'ü # , }'", "0o17", "007", "-", "~", "a b", "1 2", ".5", "+1", "-1", "1_000", "0x1F", "1e3", ".inf", "NaN",
    ];

    /// <summary>The values the fast path takes.</summary>
    private static readonly string[] InShape = [.. Values.Where(v => v is not ("-" or "~" or ".5" or "+1" or "-1" or ".inf"))];

    private static string Pairs(Random random, string separator, Func<int, string> key, string[] values) =>
        string.Join(separator, Enumerable.Range(0, random.Next(1, 5)).Select(k => $"{key(k)}: {values[random.Next(values.Length)]}"));

    /// <summary>A file of random items in random styles, with comments and blank lines between them.</summary>
    private static string Generated(Random random, int items, string[] values)
    {
        var text = new StringBuilder("# generated\n");
        var indent = new string(' ', random.Next(3));
        for (var line = 0; line < items; line++)
        {
            string Key(int k) => random.Next(8) == 0 ? $"\"k{k}\"" : $"k{(random.Next(10) == 0 ? k / 2 : k)}";
            var comment = random.Next(4) == 0 ? "  # c" : string.Empty;
            switch (random.Next(3))
            {
                case 0:
                    text.Append(indent).Append("- { ").Append(Pairs(random, ", ", Key, values)).Append(" }").Append(comment).Append('\n');
                    break;
                case 1:
                    text.Append(indent).Append("- {").Append(Pairs(random, ",", Key, values)).Append('}').Append(comment).Append('\n');
                    break;
                default:
                    var pad = new string(' ', random.Next(1, 3));
                    var pairs = Pairs(random, "\n", Key, values).Split('\n');
                    text.Append(indent).Append('-').Append(pad).Append(pairs[0]).Append(comment).Append('\n');
                    foreach (var pair in pairs.Skip(1))
                    {
                        text.Append(indent).Append(' ').Append(pad).Append(pair).Append(random.Next(6) == 0 ? "   # c" : string.Empty).Append('\n');
                    }

                    break;
            }

            if (random.Next(10) == 0)
            {
                text.Append(random.Next(2) == 0 ? "\n" : "  # between\n");
            }
        }

        return text.ToString();
    }

    [Fact]
    public void A_generated_file_of_many_shapes_reads_the_same_both_ways()
    {
        var random = new Random(20261128);
        for (var file = 0; file < 40; file++)
        {
            var yaml = Generated(random, 60, InShape);
            Assert.Equal(General(yaml), Fast(yaml));

            // With values outside its shape ("-", "~", ".5", ...) it may decline, but what it reads is the same.
            yaml = Generated(random, 5, Values);
            if (SimpleListReader.TryRead(yaml, File, new DiagnosticBag(), out _))
            {
                Assert.Equal(General(yaml), Fast(yaml));
            }
        }
    }

    /// <summary>
    /// Random one-character edits of generated files: whatever the fast path still accepts it must read
    /// exactly as YamlDotNet does (including YamlDotNet finding no error); the rest it must decline.
    /// </summary>
    [Fact]
    public void After_random_edits_what_it_accepts_still_reads_the_same_both_ways()
    {
        var random = new Random(7);
        const string Alphabet = " :#'\",-{}[]&*!|>?%@`\n\\ax0.";
        var accepted = 0;
        for (var round = 0; round < 3000; round++)
        {
            var text = new StringBuilder(Generated(random, 4, InShape));
            for (var edits = random.Next(1, 3); edits > 0; edits--)
            {
                var at = random.Next(text.Length);
                switch (random.Next(3))
                {
                    case 0:
                        text.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                        break;
                    case 1:
                        text.Remove(at, 1);
                        break;
                    default:
                        text[at] = Alphabet[random.Next(Alphabet.Length)];
                        break;
                }
            }

            var yaml = text.ToString();
            if (SimpleListReader.TryRead(yaml, File, new DiagnosticBag(), out _))
            {
                accepted++;
                Assert.Equal(General(yaml), Fast(yaml));
            }
        }

        Assert.InRange(accepted, 300, 2900); // the edits must exercise both sides
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n- { a: b }\n")]
    [InlineData("- { a: b }\n...\n")]
    [InlineData("%YAML 1.2\n---\n- { a: b }\n")]
    [InlineData("- { a: b }\n- c\n")]
    [InlineData("- { a: \"esc\\\"aped\" }\n")]
    [InlineData("- { a: &anchor b }\n")]
    [InlineData("- { a: *alias }\n")]
    [InlineData("- &anchor { a: b }\n")]
    [InlineData("- { a: !!str 1 }\n")]
    [InlineData("- a: !!str 1\n")]
    [InlineData("- { a: b }#no space\n")]
    [InlineData("- a: b#no space\n")]
    [InlineData("- a: 'b'#no space\n")]
    [InlineData("- { a: b }\r\n")]
    [InlineData("- { a: { b: c } }\n")]
    [InlineData("- { a: [b] }\n")]
    [InlineData("- { a: b: }\n")]
    [InlineData("- { a: b, }\n")]
    [InlineData("- { }\n")]
    [InlineData("- { a: }\n")]
    [InlineData("- { a: b # c }\n")]
    [InlineData("- { a: b }\n\t# tab\n")]
    [InlineData("\uFEFF- { a: b }\n")]
    [InlineData("- { a: \"tab\there\" }\n")]
    [InlineData("# c\r- { x: y }\n- { a: b }\n")]
    [InlineData("# c\r\r\n- { a: b }\n")]
    [InlineData("- { a: b }\n# nul \0\n")]
    [InlineData("- { a: b }  # next\u2028- { c: d }\n")]
    [InlineData("- { a: b }  # \u0085\n")]
    [InlineData("- { a: \"\u007f\" }\n")]
    [InlineData("- { a: \"😀\" }\n")]
    // a flow mapping PyYAML wrapped at 80 columns, quoted strings over two lines
    [InlineData("- {hostname: a-very-long-hostname, hw-address: '02:00:00:00:00:00',\n  ip-address: 10.0.0.2}\n")]
    [InlineData("- { a: 'b\n  c' }\n")]
    [InlineData("- a: \"b\n  c\"\n")]
    // block shapes beyond one scalar a key, or indentation YAML reads differently
    [InlineData("- a:\n  b: c\n")]
    [InlineData("- a:\n    b: c\n")]
    [InlineData("- a: b\n  c:\n    - d\n")]
    [InlineData("- a: b\n    c\n")]
    [InlineData("- a: b\n c: d\n")]
    [InlineData("- a: b\n   c: d\n")]
    [InlineData("- a: b\nc: d\n")]
    [InlineData("  - a: b\n- c: d\n")]
    [InlineData("- a: b\n  - c\n")]
    [InlineData("-\n  a: b\n")]
    [InlineData("- \n")]
    [InlineData("- - a: b\n")]
    [InlineData("- a : b\n")]
    [InlineData("- a: b: c\n")]
    [InlineData("- a: |\n    b\n")]
    [InlineData("- a: >\n    b\n")]
    [InlineData("- ? a\n  : b\n")]
    [InlineData("- a: [b, c]\n")]
    [InlineData("- a: b, c\n")]
    [InlineData("- \"a\":b\n")]
    [InlineData("a: b\n")]
    [InlineData("- a: -1\n")]
    [InlineData("- a: ~\n")]
    public void Anything_outside_its_shape_is_left_to_yamldotnet(string yaml)
    {
        Assert.False(SimpleListReader.TryRead(yaml, File, new DiagnosticBag(), out _));
    }

    [Fact]
    public void The_examples_reservation_files_take_the_fast_path_and_read_as_before()
    {
        foreach (var path in Directory.EnumerateFiles(Path.Combine(RepositoryLayout.ExampleInventory, "reservations"), "*.yaml"))
        {
            var yaml = System.IO.File.ReadAllText(path);
            Assert.Equal(General(yaml), Fast(yaml));
        }
    }
}
