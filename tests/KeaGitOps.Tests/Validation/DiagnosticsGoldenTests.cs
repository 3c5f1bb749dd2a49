using KeaGitOps.Tests.Support;
using Xunit;

namespace KeaGitOps.Tests.Validation;

/// <summary>The findings for whole fixture inventories, as the CLI prints them, against approved files.</summary>
public sealed class DiagnosticsGoldenTests
{
    [Fact]
    public void Seed_incident_reports_the_users_mistakes_where_they_are_written()
    {
        var result = TempInventory.Validate(Path.Combine(RepositoryLayout.FixturesFolder, "seed-incident"), RepositoryLayout.FixturesFolder);

        Assert.True(result.HasErrors);
        Golden.Assert("diagnostics/seed-incident.txt", string.Concat(result.Diagnostics.Select(d => d + "\n")));
    }
}
