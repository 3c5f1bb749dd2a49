using KeaGitOps.Core.Kea;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Core.Sources;
using Xunit;

namespace KeaGitOps.Tests.Support;

/// <summary>What deploy compares for the first server: the inventory rendered as it is (the live config) and after an edit (the wanted one).</summary>
public static class LiveComparisons
{
    /// <summary>Each rendered file of the first server after <paramref name="edit"/>, compared with the same file before it; the caller disposes them.</summary>
    public static List<ConfigComparison> Of(TempInventory inventory, Action<TempInventory> edit)
    {
        var live = FirstServer(inventory);
        edit(inventory);
        var wanted = FirstServer(inventory);
        var root = new DiskFileSource("/");
        return wanted.Files.Select(f => ConfigComparison.Of(f, "/etc/kea/" + f.Name, live.File(f.Name).Utf8.ToArray(), root)).ToList();
    }

    /// <summary>The inventory's render of the first server; the render must succeed.</summary>
    public static RenderedServer FirstServer(TempInventory inventory)
    {
        var result = RenderPipeline.Default(inventory.Folder).Run(inventory.Folder, null, () => null);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Servers![0];
    }
}
