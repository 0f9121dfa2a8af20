using System.ComponentModel.DataAnnotations;

namespace MailTracker.Core.Sandbox;

/// <summary>The <c>Sandbox</c> section: the built-in local mail server every new mailbox starts connected to.</summary>
public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    public bool Enabled { get; set; }

    /// <summary>Loopback only: the sandbox never accepts mail from other machines.</summary>
    [Required(ErrorMessage = "Sandbox:Host is required.")]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535, ErrorMessage = "Sandbox:Port must be between 1 and 65535.")]
    public int Port { get; set; } = 2525;

    /// <summary>Recipients at this domain are refused with 550, to try a permanent failure.</summary>
    public string RejectDomain { get; set; } = "reject.invalid";

    /// <summary>Recipients at this domain are deferred with 451, to try a transient failure.</summary>
    public string DeferDomain { get; set; } = "defer.invalid";
}
