using System.Text.Json;

namespace KeaGitOps.Core.Diffing;

public enum ChangeKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>One difference between two JSON documents, at a path such as Dhcp4.subnet4[0].pools[1].pool.</summary>
public sealed record JsonChange(string Path, ChangeKind Kind, string? Before, string? After);

/// <summary>Structural comparison of two JSON documents: key order and layout never count as changes.</summary>
public static class JsonDiff
{
    public static List<JsonChange> Compare(JsonElement before, JsonElement after)
    {
        var changes = new List<JsonChange>();
        Compare(before, after, string.Empty, changes);
        return changes;
    }

    private static void Compare(JsonElement before, JsonElement after, string path, List<JsonChange> changes)
    {
        if (before.ValueKind != after.ValueKind)
        {
            changes.Add(new JsonChange(path, ChangeKind.Changed, before.GetRawText(), after.GetRawText()));
            return;
        }

        switch (before.ValueKind)
        {
            case JsonValueKind.Object:
                var afterMembers = after.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                foreach (var member in before.EnumerateObject())
                {
                    var childPath = path.Length == 0 ? member.Name : $"{path}.{member.Name}";
                    if (afterMembers.Remove(member.Name, out var afterValue))
                    {
                        Compare(member.Value, afterValue, childPath, changes);
                    }
                    else
                    {
                        changes.Add(new JsonChange(childPath, ChangeKind.Removed, member.Value.GetRawText(), null));
                    }
                }

                foreach (var (name, value) in afterMembers)
                {
                    changes.Add(new JsonChange(path.Length == 0 ? name : $"{path}.{name}", ChangeKind.Added, null, value.GetRawText()));
                }

                break;
            case JsonValueKind.Array:
                var left = before.EnumerateArray().ToList();
                var right = after.EnumerateArray().ToList();
                for (var i = 0; i < Math.Max(left.Count, right.Count); i++)
                {
                    var childPath = $"{path}[{i}]";
                    if (i >= left.Count)
                    {
                        changes.Add(new JsonChange(childPath, ChangeKind.Added, null, right[i].GetRawText()));
                    }
                    else if (i >= right.Count)
                    {
                        changes.Add(new JsonChange(childPath, ChangeKind.Removed, left[i].GetRawText(), null));
                    }
                    else
                    {
                        Compare(left[i], right[i], childPath, changes);
                    }
                }

                break;
            default:
                if (before.GetRawText() != after.GetRawText())
                {
                    changes.Add(new JsonChange(path, ChangeKind.Changed, before.GetRawText(), after.GetRawText()));
                }

                break;
        }
    }
}
