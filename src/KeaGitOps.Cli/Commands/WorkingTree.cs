using KeaGitOps.Core.Rendering;
using KeaGitOps.Git;

namespace KeaGitOps.Cli.Commands;

/// <summary>The one way commands render what is in the working tree: validated, with the templates in force, stamped with its git revision.</summary>
public static class WorkingTree
{
    /// <summary>
    /// Starts reading the git revision of the inventory and templates. Loading libgit2 and asking the
    /// status of the files takes about as long as validating a small inventory, and neither needs the
    /// other, so they run side by side.
    /// </summary>
    public static Task<SourceRevision?> ReadRevisionAsync(DirectoryInfo inventory, DirectoryInfo? templates)
    {
        var templatesFolder = CommonOptions.TemplatesFolder(templates);
        return Task.Run(() => GitProvenance.Read(inventory.FullName, templatesFolder));
    }

    /// <param name="revision">the revision being read when the caller started it (deploy's guards), else read here.</param>
    public static RenderResult Render(DirectoryInfo inventory, DirectoryInfo? templates, Task<SourceRevision?>? revision = null)
    {
        var reading = revision ?? ReadRevisionAsync(inventory, templates);
        return RenderPipeline.Default().Run(inventory.FullName, CommonOptions.TemplatesFolder(templates), () => reading.GetAwaiter().GetResult());
    }
}
