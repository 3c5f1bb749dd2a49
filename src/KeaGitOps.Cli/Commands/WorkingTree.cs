using KeaGitOps.Core.Rendering;
using KeaGitOps.Git;

namespace KeaGitOps.Cli.Commands;

/// <summary>The one way commands render what is in the working tree: validated, with the templates in force, stamped with its git revision.</summary>
public static class WorkingTree
{
    /// <param name="revision">the revision when the caller already read it (deploy's guards), else read here.</param>
    public static RenderResult Render(DirectoryInfo inventory, DirectoryInfo? templates, SourceRevision? revision = null)
    {
        var templatesFolder = CommonOptions.TemplatesFolder(templates);
        return RenderPipeline.Default().Run(inventory.FullName, templatesFolder, () => revision ?? GitProvenance.Read(inventory.FullName, templatesFolder));
    }
}
