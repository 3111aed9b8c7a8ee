namespace Automation.Testing;

/// <summary>How a service in the test process listens on real sockets.</summary>
public static class RealSockets
{
    /// <summary>The public address a test service asks for: the system picks a free port, beside the named management port.</summary>
    public const string AnyFreeLoopbackPort = "http://127.0.0.1:0";
}
