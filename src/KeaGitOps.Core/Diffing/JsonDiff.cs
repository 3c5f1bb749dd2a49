using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace KeaGitOps.Core.Diffing;

public enum ChangeKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>One difference between two JSON documents, at a path such as Dhcp4.subnet4[0].pools[1].pool.</summary>
public sealed record JsonChange(string Path, ChangeKind Kind, string? Before, string? After)
{
    /// <summary>
    /// <see cref="Path"/> step by step, with each list entry's position in both documents: a caller that
    /// names entries by position, or looks a value up in the original document, needs them. Not part of
    /// equality: <see cref="Path"/> already says where the change is.
    /// </summary>
    public IReadOnlyList<JsonPathSegment> Segments { get; init; } = [];

    public bool Equals(JsonChange? other) =>
        other is not null && Path == other.Path && Kind == other.Kind && Before == other.Before && After == other.After;

    public override int GetHashCode() => HashCode.Combine(Path, Kind, Before, After);
}

/// <summary>
/// One step of a <see cref="JsonChange"/>'s path: a member <paramref name="Name"/>, or a list entry with its
/// <paramref name="Key"/> (when the list pairs by key) and its positions before and after (null on the side
/// that does not have it).
/// </summary>
public sealed record JsonPathSegment(string? Name, string? Key, int? Before, int? After);

/// <summary>What identifies an entry of the list named <paramref name="listName"/> (null: none), as <see cref="KeaListKeys.KeyOf"/> does by default.</summary>
public delegate string? ListEntryKey(string listName, JsonElement item);

/// <summary>
/// Structural comparison of two JSON documents: key order and layout never count as changes, nor does
/// the order of Kea lists whose entries have keys (subnets, reservations, options…: <see cref="KeaListKeys"/>),
/// which pair by key. Two renders of one template have their keys in the same order, so objects are
/// walked in step and a path string is only built for a difference.
/// </summary>
public static class JsonDiff
{
    public static List<JsonChange> Compare(JsonElement before, JsonElement after) => Compare(before, after, KeaListKeys.KeyOf);

    /// <summary>
    /// As <see cref="Compare(JsonElement, JsonElement)"/>, where <paramref name="ignore"/> names places (member
    /// names and list entries from the root) whose content never counts; an object that holds nothing but such
    /// places counts as absent, so a <c>user-context</c> holding only ignored metadata is no change.
    /// </summary>
    public static List<JsonChange> Compare(JsonElement before, JsonElement after, Func<IReadOnlyList<object>, bool> ignore)
    {
        var changes = new List<JsonChange>();
        new Walk(KeaListKeys.KeyOf, false, changes, ignore).Compare(before, after, []);
        return changes;
    }

    /// <summary>
    /// As <see cref="Compare(JsonElement, JsonElement)"/>, with list entries paired by <paramref name="keyOf"/>
    /// instead of <see cref="KeaListKeys"/>. A list holding a key twice is compared by position, unless
    /// <paramref name="repeatedKeysPairWithTheFirst"/>: then every entry pairs with the first entry of its key
    /// on the other side, and only a key the other side lacks is an addition or removal.
    /// </summary>
    public static List<JsonChange> Compare(JsonElement before, JsonElement after, ListEntryKey keyOf, bool repeatedKeysPairWithTheFirst = false)
    {
        var changes = new List<JsonChange>();
        new Walk(keyOf, repeatedKeysPairWithTheFirst, changes).Compare(before, after, []);
        return changes;
    }

    private sealed class Walk(ListEntryKey keyOf, bool repeats, List<JsonChange> changes, Func<IReadOnlyList<object>, bool>? ignore = null)
    {
        public void Compare(JsonElement before, JsonElement after, List<object> path)
        {
            // The same text is the same JSON: two renders of one template mostly are, so whole subtrees
            // (a subnet with its thousands of reservations) are settled by one memory comparison.
            if ((before.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                && JsonMarshal.GetRawUtf8Value(before).SequenceEqual(JsonMarshal.GetRawUtf8Value(after)))
            {
                return;
            }

            if (before.ValueKind != after.ValueKind)
            {
                Add(path, null, ChangeKind.Changed, before.GetRawText(), after.GetRawText());
                return;
            }

            switch (before.ValueKind)
            {
                case JsonValueKind.Object when SameKeysInOrder(before, after):
                    using (var left = before.EnumerateObject())
                    using (var right = after.EnumerateObject())
                    {
                        while (left.MoveNext() && right.MoveNext())
                        {
                            Descend(left.Current.Value, right.Current.Value, left.Current.Name, path);
                        }
                    }

                    break;
                case JsonValueKind.Object:
                    var afterMembers = after.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                    foreach (var member in before.EnumerateObject())
                    {
                        if (afterMembers.Remove(member.Name, out var afterValue))
                        {
                            Descend(member.Value, afterValue, member.Name, path);
                        }
                        else if (!Ignorable(member.Value, path, member.Name))
                        {
                            Add(path, member.Name, ChangeKind.Removed, member.Value.GetRawText(), null);
                        }
                    }

                    foreach (var (name, value) in afterMembers)
                    {
                        if (!Ignorable(value, path, name))
                        {
                            Add(path, name, ChangeKind.Added, null, value.GetRawText());
                        }
                    }

                    break;
                case JsonValueKind.Array when path.Count > 0 && path[^1] is string listName
                    && KeaListKeys.KeysOf(listName, before, keyOf, repeats) is { } beforeKeys && KeaListKeys.KeysOf(listName, after, keyOf, repeats) is { } afterKeys:
                    CompareByKey(before, after, beforeKeys, afterKeys, path);
                    break;
                case JsonValueKind.Array:
                    var leftItems = before.EnumerateArray().ToList();
                    var rightItems = after.EnumerateArray().ToList();
                    for (var i = 0; i < Math.Max(leftItems.Count, rightItems.Count); i++)
                    {
                        if (i >= leftItems.Count)
                        {
                            Add(path, i, ChangeKind.Added, null, rightItems[i].GetRawText());
                        }
                        else if (i >= rightItems.Count)
                        {
                            Add(path, i, ChangeKind.Removed, leftItems[i].GetRawText(), null);
                        }
                        else
                        {
                            Descend(leftItems[i], rightItems[i], i, path);
                        }
                    }

                    break;
                default:
                    if (!JsonElement.DeepEquals(before, after))
                    {
                        Add(path, null, ChangeKind.Changed, before.GetRawText(), after.GetRawText());
                    }

                    break;
            }
        }

        /// <summary>
        /// A Kea list whose entries have keys (<see cref="KeaListKeys"/>): entries pair by key, so inserting a
        /// reservation is one addition, not a change of every entry after it, and order alone is no change.
        /// </summary>
        private void CompareByKey(JsonElement before, JsonElement after, List<string> beforeKeys, List<string> afterKeys, List<object> path)
        {
            var afterItems = new Dictionary<string, (int Position, JsonElement Item)>(StringComparer.Ordinal);
            var i = 0;
            foreach (var item in after.EnumerateArray())
            {
                afterItems.TryAdd(afterKeys[i], (i, item));
                i++;
            }

            var beforeSet = new HashSet<string>(beforeKeys, StringComparer.Ordinal);
            i = 0;
            foreach (var item in before.EnumerateArray())
            {
                var key = beforeKeys[i];
                if (afterItems.TryGetValue(key, out var counterpart))
                {
                    Descend(item, counterpart.Item, new ListKey(key, i, counterpart.Position), path);
                }
                else
                {
                    Add(path, new ListKey(key, i, null), ChangeKind.Removed, item.GetRawText(), null);
                }

                i++;
            }

            i = 0;
            foreach (var item in after.EnumerateArray())
            {
                if (!beforeSet.Contains(afterKeys[i]))
                {
                    Add(path, new ListKey(afterKeys[i], null, i), ChangeKind.Added, null, item.GetRawText());
                }

                i++;
            }
        }

        private void Descend(JsonElement before, JsonElement after, object segment, List<object> path)
        {
            path.Add(segment);
            if (ignore is null || !ignore(path))
            {
                Compare(before, after, path);
            }

            path.RemoveAt(path.Count - 1);
        }

        /// <summary>True when the member <paramref name="name"/> at <paramref name="path"/> is ignored, or is an object holding only ignored members.</summary>
        private bool Ignorable(JsonElement value, List<object> path, string name)
        {
            if (ignore is null)
            {
                return false;
            }

            path.Add(name);
            try
            {
                if (ignore(path))
                {
                    return true;
                }

                if (value.ValueKind != JsonValueKind.Object || !value.EnumerateObject().Any())
                {
                    return false;
                }

                foreach (var member in value.EnumerateObject())
                {
                    path.Add(member.Name);
                    var ignored = ignore(path);
                    path.RemoveAt(path.Count - 1);
                    if (!ignored)
                    {
                        return false;
                    }
                }

                return true;
            }
            finally
            {
                path.RemoveAt(path.Count - 1);
            }
        }

        private void Add(List<object> path, object? last, ChangeKind kind, string? before, string? after)
        {
            var steps = new List<object>(path);
            if (last is not null)
            {
                steps.Add(last);
            }

            changes.Add(new JsonChange(Format(steps), kind, before, after) { Segments = steps.Select(Segment).ToList() });
        }

        private static JsonPathSegment Segment(object step) => step switch
        {
            int index => new JsonPathSegment(null, null, index, index),
            ListKey key => new JsonPathSegment(null, key.Key, key.Before, key.After),
            _ => new JsonPathSegment((string)step, null, null, null),
        };
    }

    /// <summary>A path segment naming a list entry by its key: <c>[hw-address=aa:bb:…]</c>, and where it is in each list.</summary>
    private sealed record ListKey(string Key, int? Before, int? After);

    private static string Format(List<object> path)
    {
        var text = new StringBuilder();
        foreach (var segment in path)
        {
            if (segment is int index)
            {
                text.Append('[').Append(index).Append(']');
            }
            else if (segment is ListKey key)
            {
                text.Append('[').Append(key.Key).Append(']');
            }
            else
            {
                text.Append(text.Length == 0 ? string.Empty : ".").Append((string)segment);
            }
        }

        return text.ToString();
    }

    private static bool SameKeysInOrder(JsonElement before, JsonElement after)
    {
        using var left = before.EnumerateObject();
        using var right = after.EnumerateObject();
        while (true)
        {
            var more = left.MoveNext();
            if (more != right.MoveNext())
            {
                return false;
            }

            if (!more)
            {
                return true;
            }

            if (!left.Current.NameEquals(right.Current.Name))
            {
                return false;
            }
        }
    }
}
