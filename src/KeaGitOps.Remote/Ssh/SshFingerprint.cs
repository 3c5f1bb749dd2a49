using System.Security.Cryptography;

namespace KeaGitOps.Remote.Ssh;

public static class SshFingerprint
{
    /// <summary>OpenSSH's default fingerprint: "SHA256:" and the unpadded base64 of the SHA-256 of the key blob.</summary>
    public static string Sha256(ReadOnlySpan<byte> keyBlob) => "SHA256:" + Convert.ToBase64String(SHA256.HashData(keyBlob)).TrimEnd('=');
}
