using System.Collections.Concurrent;
using System.Net;
using MailTracker.Core.Notifications;
using Microsoft.AspNetCore.SignalR.Client;

namespace MailTracker.Tests.Infrastructure;

/// <summary>A signed-in user's connection to /hubs/notifications, recording every push it receives.</summary>
public sealed class HubClient : IAsyncDisposable
{
    private readonly HubConnection _connection;

    private HubClient(HubConnection connection) => _connection = connection;

    public ConcurrentQueue<UserPushEvent> Received { get; } = new();

    public static async Task<HubClient> ConnectAsync(string baseUrl, CookieContainer cookies)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(new Uri(baseUrl), "/hubs/notifications"), o => o.Cookies = cookies)
            .Build();
        var client = new HubClient(connection);
        connection.On<UserPushEvent>("push", e => client.Received.Enqueue(e));
        await connection.StartAsync();
        return client;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
