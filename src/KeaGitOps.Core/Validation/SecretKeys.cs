namespace KeaGitOps.Core.Validation;

/// <summary>Which keys hold secrets, wherever they are written: the inventory lives in git, so they are refused there.</summary>
public static class SecretKeys
{
    /// <summary>A password, secret, token, passphrase or private key; a key naming a file that holds one (password-file, Kea's secret-file) is fine.</summary>
    public static bool IsSecretLike(string key) =>
        !key.EndsWith("-file", StringComparison.Ordinal)
        && (key.Contains("password", StringComparison.OrdinalIgnoreCase)
        || key.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || key.Contains("token", StringComparison.OrdinalIgnoreCase)
        || key is "passphrase" or "private-key");
}
