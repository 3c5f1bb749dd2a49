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
public sealed record JsonChange(string Path, ChangeKind Kind, string? Before, string? After);

/// <summary>
/// Structural comparison of two JSON documents: key order and layout never count as changes, nor does
/// the order of Kea lists whose entries have keys (subnets, reservations, options…: <see cref="KeaListKeys"/>),
/// which pair by key. Two renders of one template have their keys in the same order, so objects are
/// walked in step and a path string is only built for a difference.
/// </summary>
public static class JsonDiff
{
    /// <summary>
    /// The changes from <paramref name="before"/> to <paramref name="after"/>. <paramref name="ignore"/> names
    /// places (member names, list positions) whose content never counts; an object that holds nothing but
    /// such places counts as absent, so a <c>user-context</c> holding only ignored metadata is no change.
    /// </summary>
    public static List<JsonChange> Compare(JsonElement before, JsonElement after, Func<IReadOnlyList<object>, bool>? ignore = null)
    {
        var changes = new List<JsonChange>();
        new Walker(ignore ?? (_ => false), changes).Compare(before, after, []);
        return changes;
    }

    private sealed class Walker(Func<IReadOnlyList<object>, bool> ignore, List<JsonChange> changes)
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
                changes.Add(new JsonChange(Format(path), ChangeKind.Changed, before.GetRawText(), after.GetRawText()));
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
                            changes.Add(new JsonChange(Format(path, member.Name), ChangeKind.Removed, member.Value.GetRawText(), null));
                        }
                    }

                    foreach (var (name, value) in afterMembers)
                    {
                        if (!Ignorable(value, path, name))
                        {
                            changes.Add(new JsonChange(Format(path, name), ChangeKind.Added, null, value.GetRawText()));
                        }
                    }

                    break;
                case JsonValueKind.Array when path.Count > 0 && path[^1] is string listName
                    && KeaListKeys.KeysOf(listName, before) is { } beforeKeys && KeaListKeys.KeysOf(listName, after) is { } afterKeys:
                    CompareByKey(before, after, beforeKeys, afterKeys, path);
                    break;
                case JsonValueKind.Array:
                    var leftItems = before.EnumerateArray().ToList();
                    var rightItems = after.EnumerateArray().ToList();
                    for (var i = 0; i < Math.Max(leftItems.Count, rightItems.Count); i++)
                    {
                        if (i >= leftItems.Count)
                        {
                            changes.Add(new JsonChange(Format(path, i), ChangeKind.Added, null, rightItems[i].GetRawText()));
                        }
                        else if (i >= rightItems.Count)
                        {
                            changes.Add(new JsonChange(Format(path, i), ChangeKind.Removed, leftItems[i].GetRawText(), null));
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
                        changes.Add(new JsonChange(Format(path), ChangeKind.Changed, before.GetRawText(), after.GetRawText()));
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
            var afterItems = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            var i = 0;
            foreach (var item in after.EnumerateArray())
            {
                afterItems[afterKeys[i++]] = item;
            }

            i = 0;
            foreach (var item in before.EnumerateArray())
            {
                var key = beforeKeys[i++];
                if (afterItems.Remove(key, out var counterpart))
                {
                    Descend(item, counterpart, new ListKey(key), path);
                }
                else
                {
                    changes.Add(new JsonChange(Format(path, new ListKey(key)), ChangeKind.Removed, item.GetRawText(), null));
                }
            }

            foreach (var key in afterKeys.Where(afterItems.ContainsKey))
            {
                changes.Add(new JsonChange(Format(path, new ListKey(key)), ChangeKind.Added, null, afterItems[key].GetRawText()));
            }
        }

        private void Descend(JsonElement before, JsonElement after, object segment, List<object> path)
        {
            path.Add(segment);
            if (!ignore(path))
            {
                Compare(before, after, path);
            }

            path.RemoveAt(path.Count - 1);
        }

        /// <summary>True when the member <paramref name="name"/> at <paramref name="path"/> is ignored, or is an object holding only ignored members.</summary>
        private bool Ignorable(JsonElement value, List<object> path, string name)
        {
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
    }

    /// <summary>A path segment naming a list entry by its key: <c>[hw-address=aa:bb:…]</c>.</summary>
    private sealed record ListKey(string Key);

    private static string Format(List<object> path, object? last = null)
    {
        var text = new StringBuilder();
        foreach (var segment in last is null ? path : path.Append(last))
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
