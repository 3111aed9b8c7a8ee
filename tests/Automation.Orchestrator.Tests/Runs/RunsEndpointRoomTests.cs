using Automation.Orchestrator.Runs;
using Microsoft.Extensions.Time.Testing;

namespace Automation.Orchestrator.Tests.Runs;

public sealed class RunsEndpointRoomTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task New_runs_pass_at_once_while_the_runs_endpoint_has_room()
    {
        var room = new RunsEndpointRoom();
        Enter(room, RunsEndpointRoom.Busy - 1);

        var wait = room.WaitForRoomAsync(new FakeTimeProvider(), Cancellation);

        Assert.True(wait.IsCompletedSuccessfully, "an event waited though the runs' endpoint had room");
        await wait;
    }

    [Fact]
    public async Task New_runs_wait_while_the_runs_endpoint_is_busy_and_pass_once_it_has_room_again()
    {
        var room = new RunsEndpointRoom();
        Enter(room, RunsEndpointRoom.Busy);

        var wait = room.WaitForRoomAsync(new FakeTimeProvider(), Cancellation);
        Assert.False(wait.IsCompleted, "an event passed while the runs' endpoint was busy");

        room.Left();
        await wait.WaitAsync(TimeSpan.FromSeconds(10), Cancellation);
        Assert.Equal(RunsEndpointRoom.Busy - 1, room.InFlight);
    }

    [Fact]
    public async Task A_new_run_waits_no_longer_than_the_longest_wait_so_a_count_gone_wrong_never_stops_intake()
    {
        var time = new FakeTimeProvider();
        var room = new RunsEndpointRoom();
        Enter(room, RunsEndpointRoom.Busy * 2);

        var wait = room.WaitForRoomAsync(time, Cancellation);
        time.Advance(RunsEndpointRoom.LongestWait - TimeSpan.FromMilliseconds(1));
        Assert.False(wait.IsCompleted, "an event passed before the longest wait while the runs' endpoint was busy");

        time.Advance(TimeSpan.FromMilliseconds(1));
        await wait.WaitAsync(TimeSpan.FromSeconds(10), Cancellation);
    }

    [Fact]
    public async Task A_waiting_event_is_released_when_its_consumer_stops()
    {
        var room = new RunsEndpointRoom();
        Enter(room, RunsEndpointRoom.Busy);
        using var stopping = new CancellationTokenSource();

        var wait = room.WaitForRoomAsync(new FakeTimeProvider(), stopping.Token);
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(TimeSpan.FromSeconds(10), Cancellation));
    }

    private static void Enter(RunsEndpointRoom room, int messages)
    {
        for (var i = 0; i < messages; i++)
        {
            room.Entered();
        }
    }
}
