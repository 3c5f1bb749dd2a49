using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Core.Validation;

/// <summary>
/// A semantic rule: runs on the bound model after the schema, whether or not the schema found errors
/// (values the schema rejected are left unset, and rules skip what is unset). Rules must stay linear
/// in the number of reservations: they index, they never compare every pair.
/// </summary>
public interface IInventoryRule
{
    void Check(InventoryModel inventory, DiagnosticBag diagnostics);
}
