using System.Text;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Validation;

/// <summary>
/// The fast path for reservation files must read exactly what YamlDotNet reads (nodes, scalar types,
/// locations, findings) on every file it accepts, and decline every file outside its shape.
/// </summary>
public sealed class FlowListReaderTests
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
        Assert.True(FlowListReader.TryRead(yaml, File, diagnostics, out var root), "the fast path declined:\n" + yaml);
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
    public void On_a_file_it_accepts_it_reads_what_yamldotnet_reads(string yaml)
    {
        Assert.Equal(General(yaml), Fast(yaml));
    }

    [Fact]
    public void A_generated_file_of_many_shapes_reads_the_same_both_ways()
    {
        var random = new Random(20261128);
        var values = new[] { "10.0.0.1", "\"bc:24:11:16:c6:92\"", "bc:24:11:16:c6:92", "8000", "\"x y\"", "true", "False", "null", "1.5", "a-b_c.d/e+f", "\"\"", "\"ü\"", "0o17", "007", "-", "~" };
        var text = new StringBuilder("# generated\n");
        for (var line = 0; line < 400; line++)
        {
            var pairs = Enumerable.Range(0, random.Next(1, 5)).Select(k => $"k{k}: {values[random.Next(values.Length)]}");
            text.Append("- { ").AppendJoin(", ", pairs).Append(" }").Append(random.Next(4) == 0 ? "  # c" : string.Empty).Append('\n');
        }

        var yaml = text.ToString();
        var diagnostics = new DiagnosticBag();
        if (FlowListReader.TryRead(yaml, File, diagnostics, out _))
        {
            Assert.Equal(General(yaml), Fast(yaml));
        }
        else
        {
            // "-" and "~" are outside the fast path's shape: the same file without them must be read fast.
            var simple = yaml.Replace(": -,", ": a,", StringComparison.Ordinal).Replace(": - }", ": a }", StringComparison.Ordinal)
                .Replace(": ~,", ": a,", StringComparison.Ordinal).Replace(": ~ }", ": a }", StringComparison.Ordinal);
            Assert.Equal(General(simple), Fast(simple));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n- { a: b }\n")]
    [InlineData("- { a: b }\n- c\n")]
    [InlineData("  - { a: b }\n")]
    [InlineData("- {a: b}\n")]
    [InlineData("- { a: 'single' }\n")]
    [InlineData("- { a: \"esc\\\"aped\" }\n")]
    [InlineData("- { a: &anchor b }\n")]
    [InlineData("- { a: *alias }\n")]
    [InlineData("- { a: !!str 1 }\n")]
    [InlineData("- { a: b c }\n")]
    [InlineData("- { a: b }#no space\n")]
    [InlineData("- { a: b }\r\n")]
    [InlineData("- { a: { b: c } }\n")]
    [InlineData("- { a: [b] }\n")]
    [InlineData("- { a: b: }\n")]
    [InlineData("- { a: b, }\n")]
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
    public void Anything_outside_its_shape_is_left_to_yamldotnet(string yaml)
    {
        Assert.False(FlowListReader.TryRead(yaml, File, new DiagnosticBag(), out _));
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
