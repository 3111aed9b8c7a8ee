using System.Collections.Concurrent;
using Automation.Contracts;
using MassTransit;

namespace Automation.Ingress.Storage;

/// <summary>Makes an event published through the bus outbox reach the consumers of <see cref="IWebhookEvent"/>.
/// A direct publish declares the event type's exchange and binds it to the exchange of each interface it implements;
/// the outbox, though, delivers later with a plain send to the type's exchange, which declares that exchange only, so a
/// queue bound to <see cref="IWebhookEvent"/> would never get the event. The stored destination therefore names the
/// interface's exchange (RabbitMQ's <c>bindexchange</c> address option), and the delivering send declares the binding.</summary>
public sealed class PublishTopologyAddress(IBus bus)
{
    private readonly ConcurrentDictionary<Uri, Uri> _addresses = new();

    public Uri? WithInterfaceBinding(Uri? destination) =>
        destination is null ? null : _addresses.GetOrAdd(destination, AddBinding);

    private Uri AddBinding(Uri destination)
    {
        var interfaceExchange = bus.Topology.Message<IWebhookEvent>().EntityName;
        // Not escaped: MassTransit reads the option's value as written, and entity names are letters, digits and . : - _
        var binding = "bindexchange=" + interfaceExchange;
        var query = destination.Query.TrimStart('?');
        return new UriBuilder(destination) { Query = query.Length == 0 ? binding : query + "&" + binding }.Uri;
    }
}
