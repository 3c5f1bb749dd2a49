using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace KeaGitOps.Core.Validation;

/// <summary>
/// Applies <c>schemas/inventory.schema.json</c> with NJsonSchema to the merged inventory tree and maps
/// each error back to the YAML file, line and column of the value it is about.
/// </summary>
public sealed class SchemaValidator
{
    private const string ReservationDefinition = "reservation";

    /// <summary>The schema, compiled on another thread from the moment the validator exists: reading it takes NJsonSchema a while, and the inventory's files are read meanwhile.</summary>
    private readonly Task<Compiled> _compiled;

    private sealed record Compiled(JsonSchema Schema, JsonSchema Reservation, SchemaShortcut? ReservationShortcut);

    private SchemaValidator(Func<JsonSchema> load)
    {
        _compiled = Task.Run(() =>
        {
            using var timer = PhaseTimer.Measure("schema load");
            var schema = load();
            var reservation = schema.Definitions[ReservationDefinition];
            return new Compiled(schema, reservation, SchemaShortcut.Compile(reservation));
        });
    }

    private JsonSchema RootSchema => _compiled.GetAwaiter().GetResult().Schema;

    private JsonSchema ReservationSchema => _compiled.GetAwaiter().GetResult().Reservation;

    private SchemaShortcut? ReservationShortcut => _compiled.GetAwaiter().GetResult().ReservationShortcut;

    /// <summary>The schema built into the binary (the repository's schemas/inventory.schema.json).</summary>
    public static SchemaValidator BuiltIn { get; } = new(() => Read(BuiltInText()));

    /// <summary>A schema's text as NJsonSchema's model: by <see cref="SchemaReader"/> when it can, else by NJsonSchema itself.</summary>
    public static JsonSchema Read(string json) => SchemaReader.TryRead(json) ?? JsonSchema.FromJsonAsync(json).GetAwaiter().GetResult();

    public static string BuiltInText()
    {
        using var stream = typeof(SchemaValidator).Assembly.GetManifestResourceStream("schemas/inventory.schema.json")
            ?? throw new InvalidOperationException("the inventory schema is not embedded in this build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Validates the whole tree. Reservations are taken out of it and judged one by one: those the
    /// schema-derived shortcut cannot vouch for go to NJsonSchema against the reservation definition,
    /// with their path, so messages read exactly as if the whole tree had been validated at once.
    /// </summary>
    public void Validate(MappingNode root, DiagnosticBag diagnostics)
    {
        var places = new Dictionary<JToken, SourceLocation>(ReferenceEqualityComparer.Instance);
        var doubtful = new List<(Node Reservation, string Path)>();
        var json = ToJson(root, places, doubtful);
        // The settings overload: the parameterless call binds to the params IFormatValidator[] overload
        // with no validators, which silently skips "format": "ipv4".
        var validator = new JsonSchemaValidator(new JsonSchemaValidatorSettings());
        foreach (var error in Flatten(validator.Validate(json, RootSchema)))
        {
            diagnostics.Add(ToDiagnostic(error, places));
        }

        foreach (var (reservation, path) in doubtful)
        {
            var token = ToJson(reservation, places, null);
            foreach (var error in Flatten(validator.Validate(token, ReservationSchema, SchemaType.JsonSchema)))
            {
                diagnostics.Add(ToDiagnostic(error, places, path));
            }
        }
    }

    /// <param name="pathPrefix">where the validated token sits in the inventory, when it was validated on its own.</param>
    private static Diagnostic ToDiagnostic(ValidationError error, Dictionary<JToken, SourceLocation> places, string? pathPrefix = null)
    {
        var at = LocationOf(error.Token, places);
        var path = DisplayPath(error.Path, pathPrefix);
        switch (error.Kind)
        {
            case ValidationErrorKind.NoAdditionalPropertiesAllowed:
                var key = error.Property ?? "?";
                var allowed = (error.Schema?.ActualSchema.ActualProperties.Keys ?? []).Order(StringComparer.Ordinal).ToList();
                if (Rules.KeaSettingsRules.RenamedKeys.TryGetValue(key, out var current))
                {
                    return DiagnosticCatalogue.RenamedKey(at, key, current);
                }

                return SecretKeys.IsSecretLike(key)
                    ? DiagnosticCatalogue.SecretKey(at, key)
                    : DiagnosticCatalogue.UnknownKeyFound(at, key, ParentPath(path), allowed, Rules.KeaSettingsRules.DerivedOrigin(key));
            case ValidationErrorKind.PropertyRequired:
                return DiagnosticCatalogue.MissingKeyFound(at, error.Property ?? "?", ParentPath(path));
            case ValidationErrorKind.StringExpected:
            case ValidationErrorKind.IntegerExpected:
            case ValidationErrorKind.NumberExpected:
            case ValidationErrorKind.BooleanExpected:
            case ValidationErrorKind.ArrayExpected:
            case ValidationErrorKind.ObjectExpected:
            case ValidationErrorKind.NullExpected:
                return DiagnosticCatalogue.WrongTypeFound(at, path, ExpectedOf(error.Kind, error.Schema), Describe(error.Token));
            default:
                return DiagnosticCatalogue.InvalidValueFound(at, path, Describe(error.Token), Explain(error));
        }
    }

    private static string Explain(ValidationError error)
    {
        var schema = error.Schema?.ActualSchema;
        return error.Kind switch
        {
            ValidationErrorKind.NotInEnumeration => "allowed: " + string.Join(", ", schema?.Enumeration.Select(e => e?.ToString()) ?? []),
            ValidationErrorKind.IpV4Expected => "expected an IPv4 address such as 192.168.1.10",
            ValidationErrorKind.PatternMismatch => $"it must match {schema?.Pattern}",
            ValidationErrorKind.NumberTooSmall or ValidationErrorKind.NumberTooBig when schema is { Minimum: { } min, Maximum: { } max } => $"out of range ({min} to {max})",
            ValidationErrorKind.NumberTooSmall => $"the minimum is {schema?.Minimum}",
            ValidationErrorKind.NumberTooBig => $"the maximum is {schema?.Maximum}",
            ValidationErrorKind.StringTooShort => "it must not be empty",
            ValidationErrorKind.StringTooLong => $"it may have at most {schema?.MaxLength} characters",
            ValidationErrorKind.TooFewItems => $"give at least {schema?.MinItems} item(s)",
            ValidationErrorKind.TooManyItems => $"give at most {schema?.MaxItems} item(s)",
            _ => error.Kind.ToString(),
        };
    }

    private static string ExpectedOf(ValidationErrorKind kind, JsonSchema? schema)
    {
        var type = schema?.ActualSchema.Type ?? JsonObjectType.None;
        if (type != JsonObjectType.None && (type & (type - 1)) != 0)
        {
            return string.Join(" or ", Enum.GetValues<JsonObjectType>().Where(t => t != JsonObjectType.None && type.HasFlag(t)).Select(Article));
        }

        return kind switch
        {
            ValidationErrorKind.StringExpected => "a string",
            ValidationErrorKind.IntegerExpected => "an integer",
            ValidationErrorKind.NumberExpected => "a number",
            ValidationErrorKind.BooleanExpected => "true or false",
            ValidationErrorKind.ArrayExpected => "a list",
            ValidationErrorKind.ObjectExpected => "a mapping",
            _ => "null",
        };
    }

    private static string Article(JsonObjectType type) => type switch
    {
        JsonObjectType.Array => "a list",
        JsonObjectType.Object => "a mapping",
        JsonObjectType.Integer => "an integer",
        JsonObjectType.Boolean => "a boolean",
        _ => "a " + type.ToString().ToLowerInvariant(),
    };


    private static string Describe(JToken? token) => token switch
    {
        null => "nothing",
        OutOfRangeNumber number => number.Text,
        JValue { Type: JTokenType.String } s => $"'{s.Value}'",
        JValue { Type: JTokenType.Null } => "null",
        JValue v => Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "null",
        JArray => "a list",
        JObject => "a mapping",
        JProperty p => $"'{p.Name}'",
        _ => token.Type.ToString(),
    };

    /// <summary>
    /// A number beyond what 64 bits (or a double) hold. The schema judges it by the nearest value that fits,
    /// which is out of every range the schema gives, and messages show it as written.
    /// </summary>
    private sealed class OutOfRangeNumber : JValue
    {
        public OutOfRangeNumber(string text)
            : base(text.StartsWith('-') ? long.MinValue : long.MaxValue) => Text = text;

        public OutOfRangeNumber(string text, double infinite)
            : base(double.IsNegative(infinite) ? double.MinValue : double.MaxValue) => Text = text;

        public string Text { get; }
    }

    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors)
    {
        foreach (var error in errors)
        {
            if (error is ChildSchemaValidationError child && child.Errors.Count > 0)
            {
                foreach (var nested in Flatten(child.Errors.SelectMany(e => e.Value)))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return error;
            }
        }
    }

    private static SourceLocation LocationOf(JToken? token, Dictionary<JToken, SourceLocation> places)
    {
        for (var current = token; current is not null; current = current.Parent)
        {
            if (places.TryGetValue(current, out var location))
            {
                return location;
            }
        }

        return SourceLocation.None;
    }

    private static string DisplayPath(string? path, string? prefix)
    {
        var trimmed = (path ?? string.Empty).TrimStart('#').TrimStart('/');
        if (prefix is not null)
        {
            trimmed = trimmed.Length == 0 ? prefix : $"{prefix}.{trimmed}";
        }

        return trimmed.Length == 0 ? "the inventory" : trimmed;
    }

    private static string ParentPath(string path)
    {
        var cut = path.LastIndexOf('.');
        return cut < 0 ? "the inventory" : path[..cut];
    }

    /// <summary>YAML scalars become JSON values by their YAML 1.2 type, so a quoted "8000" is a string.</summary>
    /// <param name="doubtful">when given, subnets' reservations are left out of the tree and the ones
    /// the shortcut cannot vouch for are collected here with their path.</param>
    private JToken ToJson(Node node, Dictionary<JToken, SourceLocation> places, List<(Node, string)>? doubtful)
    {
        if (doubtful is not null && node is MappingNode root && root.Find("subnets")?.Value is SequenceNode subnets)
        {
            var kept = new List<MappingEntry>(root.Entries.Count);
            foreach (var entry in root.Entries)
            {
                kept.Add(entry.Value == subnets ? entry with { Value = new SequenceNode(subnets.Items.Select((s, i) => WithoutReservations(s, i, doubtful)).ToList(), subnets.Location) } : entry);
            }

            return ToToken(new MappingNode(kept, root.Location), places);
        }

        return ToToken(node, places);
    }

    private Node WithoutReservations(Node subnet, int index, List<(Node, string)> doubtful)
    {
        if (subnet is not MappingNode mapping || mapping.Find("reservations") is not { Value: SequenceNode reservations } entry)
        {
            return subnet;
        }

        for (var i = 0; i < reservations.Items.Count; i++)
        {
            if (ReservationShortcut?.CertainlyValid(reservations.Items[i]) != true)
            {
                doubtful.Add((reservations.Items[i], $"subnets[{index}].reservations[{i}]"));
            }
        }

        var entries = mapping.Entries.Select(e => e == entry ? e with { Value = new SequenceNode([], reservations.Location) } : e).ToList();
        return new MappingNode(entries, mapping.Location);
    }

    private static JToken ToToken(Node node, Dictionary<JToken, SourceLocation> places)
    {
        JToken token;
        switch (node)
        {
            case MappingNode mapping:
                var obj = new JObject();
                foreach (var (key, value) in mapping.Entries)
                {
                    var property = new JProperty(key.Value, ToToken(value, places));
                    places[property] = key.Location;
                    obj.Add(property);
                }

                token = obj;
                break;
            case SequenceNode sequence:
                var array = new JArray();
                foreach (var item in sequence.Items)
                {
                    array.Add(ToToken(item, places));
                }

                token = array;
                break;
            case ScalarNode scalar:
                token = scalar.Kind switch
                {
                    ScalarKind.Integer when scalar.TryGetInteger(out var number) => new JValue(number),
                    ScalarKind.Integer => new OutOfRangeNumber(scalar.Value),
                    ScalarKind.Float => double.Parse(scalar.Value, System.Globalization.CultureInfo.InvariantCulture) is var real && double.IsFinite(real) ? new JValue(real) : new OutOfRangeNumber(scalar.Value, real),
                    ScalarKind.Boolean when scalar.TryGetBoolean(out var flag) => new JValue(flag),
                    ScalarKind.Null => JValue.CreateNull(),
                    _ => new JValue(scalar.Value),
                };
                break;
            default:
                throw new InvalidOperationException($"unexpected node {node.GetType().Name}");
        }

        places[token] = node.Location;
        return token;
    }
}
