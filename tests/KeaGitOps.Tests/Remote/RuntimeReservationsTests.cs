using KeaGitOps.Core.Kea;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Remote.Deploy;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Remote;

/// <summary>Which changes deploy may apply through host_cmds without a restart, and the steps it sends.</summary>
public sealed class RuntimeReservationsTests
{
    private const string Infrastructure = "reservations/infrastructure.yaml";

    /// <summary>The example rendered as it is (the live config) and after <paramref name="edit"/> (the wanted one), compared as deploy compares them.</summary>
    private static List<ConfigComparison> Compare(Action<TempInventory> edit)
    {
        using var copy = TempInventory.FromExample();
        return LiveComparisons.Of(copy, edit);
    }

    private static RuntimeReservations PlanOf(Action<TempInventory> edit)
    {
        var (plan, reason) = RuntimeReservations.Plan(Compare(edit));
        Assert.True(plan is not null, reason);
        return plan;
    }

    [Fact]
    public void Added_removed_and_changed_reservations_become_deletes_then_adds()
    {
        var plan = PlanOf(copy =>
        {
            copy.Replace(Infrastructure, "ip-address: 192.168.1.21, hostname: nas", "ip-address: 192.168.1.121, hostname: nas");
            copy.Replace(Infrastructure, "- { hw-address: \"02:00:00:00:00:09\", ip-address: 192.168.1.30, hostname: printer }\n", "- { hw-address: \"02:00:00:00:00:99\", ip-address: 192.168.1.199, hostname: scanner }\n");
        });

        Assert.Equal((1, 1, 1), (plan.Added, plan.Removed, plan.Changed));
        Assert.Equal(
            ["delete hw-address=02:00:00:00:00:01 in subnet 1", "delete hw-address=02:00:00:00:00:09 in subnet 1", "add hw-address=02:00:00:00:00:01 in subnet 1", "add hw-address=02:00:00:00:00:99 in subnet 1"],
            plan.Steps.Select(s => s.ToString()).Order(StringComparer.Ordinal).OrderBy(s => s.StartsWith("add", StringComparison.Ordinal)).ToList());
        Assert.True(plan.Steps.TakeWhile(s => !s.Add).Count() == 2, "every delete comes before every add");
        var add = plan.Steps.Single(s => s.Add && s.Identity.Value == "02:00:00:00:00:99");
        Assert.Contains("\"ip-address\": \"192.168.1.199\"", add.Arguments, StringComparison.Ordinal);
        Assert.Contains("\"subnet-id\": 1 }", add.Arguments, StringComparison.Ordinal);
        Assert.Contains("\"operation-target\": \"memory\"", add.Arguments, StringComparison.Ordinal);
        Assert.Equal("""{ "subnet-id": 1, "identifier-type": "hw-address", "identifier": "02:00:00:00:00:99", "operation-target": "memory" }""", add.Inverse().Arguments);
    }

    [Theory]
    [InlineData("valid-lifetime: 86400", "valid-lifetime: 90000", "Dhcp4.valid-lifetime")]
    [InlineData("      - 192.168.1.225 - 192.168.1.250\n", "", "pools")]
    [InlineData("heartbeat-delay: 10000", "heartbeat-delay: 5000", "hooks-libraries")]
    public void A_change_beside_the_reservations_needs_a_restart_and_says_which(string from, string to, string named)
    {
        var comparisons = Compare(copy =>
        {
            copy.Replace("site.yaml", from, to);
            copy.Replace(Infrastructure, "ip-address: 192.168.1.21, hostname: nas", "ip-address: 192.168.1.121, hostname: nas");
        });

        var (plan, reason) = RuntimeReservations.Plan(comparisons);

        Assert.Null(plan);
        Assert.Contains(named, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_Control_Agent_config_needs_a_restart()
    {
        var (plan, reason) = RuntimeReservations.Plan(Compare(copy =>
        {
            copy.Replace("site.yaml", "  port: 8001", "  port: 8002");
            copy.Replace(Infrastructure, "ip-address: 192.168.1.21, hostname: nas", "ip-address: 192.168.1.121, hostname: nas");
        }));

        Assert.Null(plan);
        Assert.Equal("the Control Agent's config changed too", reason);
    }
}
