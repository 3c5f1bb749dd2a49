using System.Text.Json;
using KeaGitOps.Core.Rendering;

namespace KeaGitOps.Tests.Rendering;

/// <summary>The one-pass canonical writer with its config-digest must equal the two-pass reference on every shape of provenance.</summary>
public sealed class CanonicalJsonTests
{
    [Theory]
    [InlineData("""{"Dhcp4": {"a": 1, "user-context": {"keagitops": {"generator": "g"}}}}""")]
    [InlineData("""{"Dhcp4": {"user-context": {"keagitops": {"generator": "g"}, "comment": "x"}, "b": [1, 2]}}""")]
    [InlineData("""{"Dhcp4": {"user-context": {"comment": "x", "keagitops": {"generator": "g"}}}}""")]
    [InlineData("""{"Dhcp4": {"user-context": {"a": 1, "keagitops": {"generator": "g"}, "b": {"c": []}}, "z": "é 中"}}""")]
    [InlineData("""{"Dhcp4": {"user-context": {"keagitops": {}}}}""")]
    [InlineData("""{"Dhcp4": {"user-context": {"comment": "no provenance"}}}""")]
    [InlineData("""{"Dhcp4": {"subnet4": [{"user-context": {"keagitops": {"not": "provenance"}}}]}}""")]
    [InlineData("""{"Control-agent": {"http-port": 8001, "user-context": {"keagitops": {"generator": "g", "inventory-digest": "d"}}}}""")]
    [InlineData("""{"A": {"user-context": {"keagitops": {"n": 1}}}, "B": {"user-context": {"keagitops": {"n": 2}}}}""")]
    [InlineData("""{"Dhcp4": {"user-context": {"keagitops": {"s": "tab\tquote\"backslash\\"}}}}""")]
    public void One_pass_equals_two_passes(string json)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(CanonicalJson.WriteUtf8WithConfigDigestTwoPass(document.RootElement), CanonicalJson.WriteUtf8WithConfigDigest(document.RootElement));
    }

    [Fact]
    public void The_written_digest_is_the_digest_of_the_settings_alone()
    {
        using var document = JsonDocument.Parse("""{"Dhcp4": {"a": 1, "user-context": {"keagitops": {"generator": "g"}}}}""");
        using var other = JsonDocument.Parse("""{"Dhcp4": {"a": 1, "user-context": {"keagitops": {"generator": "another commit"}}}}""");

        var text = System.Text.Encoding.UTF8.GetString(CanonicalJson.WriteUtf8WithConfigDigest(document.RootElement));

        Assert.Contains($"\"config-digest\": \"{CanonicalJson.ConfigDigest(document.RootElement)}\"", text, StringComparison.Ordinal);
        Assert.Equal(CanonicalJson.ConfigDigest(document.RootElement), CanonicalJson.ConfigDigest(other.RootElement));
    }

    /// <summary>Quote's shortcut for text without escapes and its escaping path both give a literal that reads back as the text.</summary>
    [Theory]
    [InlineData("02:00:00:00:00:64")]
    [InlineData("")]
    [InlineData("é 中 # , } '")]
    [InlineData("quote\" backslash\\ tab\t newline\n cr\r bell\u0007 unit\u001f")]
    [InlineData("\u007f del is not escaped")]
    public void A_quoted_string_reads_back_as_itself(string text)
    {
        var literal = CanonicalJson.Quote(text);

        using var document = JsonDocument.Parse(literal);
        Assert.Equal(text, document.RootElement.GetString());
        Assert.DoesNotContain(literal[1..^1], c => c < ' ');
        Assert.Equal(text.Any(c => c is '"' or '\\' or < ' '), literal.Length != text.Length + 2);
    }
}
