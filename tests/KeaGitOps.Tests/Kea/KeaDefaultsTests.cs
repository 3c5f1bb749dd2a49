using System.Text.Json;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Kea;

namespace KeaGitOps.Tests.Kea;

/// <summary>The one table of Kea's defaults, asked as the round trip asks it and as a diff would, by path.</summary>
public sealed class KeaDefaultsTests
{
    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    [Theory]
    [InlineData("Dhcp4.subnet4[id=1].option-data[routers].csv-format", "true", true)]
    [InlineData("Dhcp4.option-data[0].always-send", "false", true)]
    [InlineData("Dhcp4.option-data[0].always-send", "true", false)]
    [InlineData("Dhcp4.option-data[0].space", "\"dhcp4\"", true)]
    [InlineData("Dhcp4.lease-database.persist", "true", true)]
    [InlineData("Dhcp4.hooks-libraries[1].parameters.high-availability[0].peers[kea-dhcp-2].auto-failover", "true", true)]
    [InlineData("Control-agent.http-port", "8000", true)]
    [InlineData("Control-agent.http-port", "\"8000\"", false)]
    [InlineData("Dhcp4.valid-lifetime", "7200", true)]
    [InlineData("Dhcp4.subnet4[id=1].valid-lifetime", "7200", false)]
    [InlineData("Dhcp4.hooks-libraries[1].parameters.high-availability[0].sync-timeout", "60000", true)]
    [InlineData("csv-format", "true", false)]
    public void A_value_is_keas_default_by_the_key_and_the_object_that_holds_it(string path, string value, bool expected)
    {
        Assert.Equal(expected, KeaDefaults.IsDefaultAt(path, Json(value)));
    }

    [Fact]
    public void Every_version_shares_an_entry_without_a_version()
    {
        Assert.Equal(KeaDefaults.For("option-data", "csv-format", KeaVersion.V2_2)?.GetRawText(), KeaDefaults.For("option-data", "csv-format", KeaVersion.V3_0)?.GetRawText());
        Assert.Null(KeaDefaults.For("option-data", "data"));
    }
}
