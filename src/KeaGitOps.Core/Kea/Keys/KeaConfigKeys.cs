using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Core.Kea.Keys;

/// <summary>Kea's key table applied to a whole kea-dhcp4 config: its Dhcp4 map and the HA hook's relationships.</summary>
public static class KeaConfigKeys
{
    public static List<KeaKeyProblem> CheckDhcp4(KeaKeyTable table, MappingNode dhcp4)
    {
        var problems = KeaKeyChecker.CheckMap(table, table.Dhcp4, dhcp4).ToList();
        foreach (var relationship in HaRelationships(dhcp4))
        {
            problems.AddRange(KeaKeyChecker.CheckMap(table, table.HighAvailability, relationship));
        }

        return problems;
    }

    /// <summary>The relationships in the parameters of every HA hook library of a Dhcp4 map.</summary>
    public static IEnumerable<MappingNode> HaRelationships(MappingNode dhcp4)
    {
        if (dhcp4.Find("hooks-libraries")?.Value is not SequenceNode libraries)
        {
            yield break;
        }

        foreach (var library in libraries.Items.OfType<MappingNode>())
        {
            if (library.Find("library")?.Value is ScalarNode path && KeaHooks.FileName(path.Value) == KeaHooks.HighAvailability
                && library.Find("parameters")?.Value is MappingNode parameters
                && parameters.Find("high-availability")?.Value is SequenceNode relationships)
            {
                foreach (var relationship in relationships.Items.OfType<MappingNode>())
                {
                    yield return relationship;
                }
            }
        }
    }
}
