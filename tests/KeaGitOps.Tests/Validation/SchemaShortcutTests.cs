using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Validation;
using KeaGitOps.Tests.Support;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace KeaGitOps.Tests.Validation;

/// <summary>
/// The reservation shortcut may only ever say "valid" where NJsonSchema agrees; it must also vouch for
/// ordinary reservations, or large inventories fall back to the slow path.
/// </summary>
public sealed class SchemaShortcutTests
{
    private static readonly JsonSchema Reservation = JsonSchema.FromJsonAsync(SchemaValidator.BuiltInText()).GetAwaiter().GetResult().Definitions["reservation"];
    private static readonly SchemaShortcut Shortcut = SchemaShortcut.Compile(Reservation)!;

    public static TheoryData<string, bool> Reservations() => new()
    {
        { "{ hw-address: \"aa:bb:cc:dd:ee:01\", ip-address: 10.0.0.5, hostname: printer }", true },
        { "{ client-id: \"01:aa:bb\", ip-address: 10.0.0.5 }", true },
        { "{ hw-address: aa:bb:cc:dd:ee:01, ip-address: 10.0.0.5, comment: \"a \\\"quoted\\\" note\" }", true },
        { "{ hw-address: \"aa:bb:cc:dd:ee:01\", ip-address: 10.0.0.256 }", false },
        { "{ hw-address: \"aa:bb:cc:dd:ee:01\", ip-address: 010.0.0.5 }", false },
        { "{ hw-address: \"aa:bb:cc:dd:ee:01\", ip-address: \"10.0.0.5\" }", true },
        { "{ hw-address: \"aa:bb:cc:dd:ee:01\", ip-address: 10.0.0 }", false },
        { "{ hw-address: \"aa:bb:cc:dd:ee:01\" }", true }, // no address: a hostname-, option- or class-only reservation
        { "{ duid: \"00:01:00:01:aa:bb\", hostname: printer }", true },
        { "{ hw-address: 12, ip-address: 10.0.0.5 }", false },
        { "{ hw-address: \"aa:bb:cc:dd:ee:01\", ip-address: 10.0.0.5, hostname: [a, b] }", false },
        { "{ hw-address: \"aa:bb:cc:dd:ee:01\", ip-address: 10.0.0.5, host-name: typo }", false },
        { "{ hw-address: \"aa:bb:cc:dd:ee:01\", ip-address: 10.0.0.5, option-data: { routers: 10.0.0.1 } }", false },
        { "{ hw-address: \"aa:bb:cc:dd:ee:01\", ip-address: 10.0.0.5, hostname: null }", false },
        { "{ hw-address: \"aa:bb:cc:dd:ee:01\", ip-address: 10.0.0.5, hostname: true }", false },
        { "[ 10.0.0.5 ]", false },
    };

    [Theory]
    [MemberData(nameof(Reservations))]
    public void The_shortcut_vouches_only_where_NJsonSchema_agrees(string yaml, bool vouches)
    {
        var node = YamlReader.Read(yaml, "case.yaml", new DiagnosticBag())!;

        var errors = new JsonSchemaValidator(new JsonSchemaValidatorSettings()).Validate(ToToken(node), Reservation, SchemaType.JsonSchema);

        Assert.Equal(vouches, Shortcut.CertainlyValid(node));
        if (vouches)
        {
            Assert.Empty(errors);
        }
    }

    [Fact]
    public void The_shortcut_vouches_for_every_reservation_of_the_example()
    {
        using var example = TempInventory.FromExample();
        var loaded = new InventoryLoader(example.Folder).Load(example.Folder, new DiagnosticBag())!;
        var subnet = (MappingNode)((SequenceNode)loaded.Root.Find("subnets")!.Value).Items[0];
        var reservations = ((SequenceNode)subnet.Find("reservations")!.Value).Items;

        Assert.Equal(55, reservations.Count);
        Assert.All(reservations, r => Assert.True(Shortcut.CertainlyValid(r), r.Location.ToString()));
    }

    private static JToken ToToken(Node node) => node switch
    {
        MappingNode mapping => new JObject(mapping.Entries.Select(e => new JProperty(e.Key.Value, ToToken(e.Value)))),
        SequenceNode sequence => new JArray(sequence.Items.Select(ToToken)),
        ScalarNode { Kind: ScalarKind.Integer } s => new JValue(long.Parse(s.Value, System.Globalization.CultureInfo.InvariantCulture)),
        ScalarNode { Kind: ScalarKind.Boolean } s => new JValue(s.Value is "true" or "True" or "TRUE"),
        ScalarNode { Kind: ScalarKind.Null } => JValue.CreateNull(),
        ScalarNode s => new JValue(s.Value),
        _ => throw new InvalidOperationException(),
    };
}
