using KeaGitOps.Core.Rendering;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Rendering;

/// <summary>Templates are the user's to edit; a broken one is caught with its line, never shipped.</summary>
public sealed class TemplateGuardTests : IDisposable
{
    private readonly string _templates = Directory.CreateTempSubdirectory("keagitops-templates-").FullName;

    public TemplateGuardTests()
    {
        foreach (var file in Directory.EnumerateFiles(RepositoryLayout.Templates, "*.scriban"))
        {
            File.Copy(file, Path.Combine(_templates, Path.GetFileName(file)));
        }
    }

    public void Dispose() => Directory.Delete(_templates, recursive: true);

    private RenderResult RenderWith(string find, string replace)
    {
        var path = Path.Combine(_templates, "kea-dhcp4.conf.scriban");
        var text = File.ReadAllText(path);
        Assert.Contains(find, text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace(find, replace, StringComparison.Ordinal));
        return RenderPipeline.Default(RepositoryLayout.Root).Run(RepositoryLayout.ExampleInventory, _templates, () => null);
    }

    private static int LineOf(string text, string fragment) =>
        text.Split('\n').Select((line, i) => (line, i)).First(x => x.line.Contains(fragment, StringComparison.Ordinal)).i + 1;

    [Fact]
    public void A_template_that_names_the_partner_as_this_server_is_refused_as_KGO603()
    {
        var result = RenderWith("\"this-server-name\": {{ this_server.name }}", "\"this-server-name\": {{ servers[0].name }}");

        Assert.False(result.Succeeded);
        var finding = Assert.Single(result.Diagnostics, d => d.Code == "KGO603");
        Assert.Contains("kea-dhcp-2", finding.Message, StringComparison.Ordinal);
        Assert.Contains("this-server-name is 'kea-dhcp-1'", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_that_quotes_a_model_string_is_reported_as_invalid_JSON_at_its_line()
    {
        var result = RenderWith("\"subnet\": {{ subnet.subnet }},", "\"subnet\": \"{{ subnet.subnet }}\",");

        var finding = Assert.Single(result.Diagnostics, d => d.Code == "KGO602");
        var template = File.ReadAllText(Path.Combine(_templates, "kea-dhcp4.conf.scriban"));
        Assert.Equal(LineOf(template, "\"subnet\": \"{{ subnet.subnet }}\""), finding.Location.Line);
        Assert.EndsWith("kea-dhcp4.conf.scriban", finding.Location.File, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_that_renders_shared_settings_differently_per_server_is_refused_as_KGO604()
    {
        var result = RenderWith("\"persist\": true,", "\"persist\": {{ this_server.role == '\"primary\"' }},");

        var finding = Assert.Single(result.Diagnostics, d => d.Code == "KGO604");
        Assert.Contains("Dhcp4.lease-database.persist", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_that_writes_a_key_twice_is_reported_as_KGO602()
    {
        var result = RenderWith("\"persist\": true,", "\"persist\": true, \"persist\": false,");

        Assert.False(result.Succeeded);
        var finding = Assert.Single(result.Diagnostics, d => d.Code == "KGO602");
        Assert.Contains("persist", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_that_uses_an_unknown_member_is_reported_with_its_line_as_KGO601()
    {
        var result = RenderWith("\"id\": {{ subnet.id }},", "\"id\": {{ subnet.identifier }},");

        var finding = Assert.Single(result.Diagnostics, d => d.Code == "KGO601");
        var template = File.ReadAllText(Path.Combine(_templates, "kea-dhcp4.conf.scriban"));
        Assert.Equal(LineOf(template, "subnet.identifier"), finding.Location.Line);
    }
}
