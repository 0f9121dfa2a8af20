using Bunit;
using MailTracker.Core.Messages;
using MailTracker.Tests.Infrastructure;
using MailTracker.Web.Components.Shared;
using MudBlazor;

namespace MailTracker.Tests.Components;

public sealed class TrackingIconsTests : ComponentTestBase
{
    private static readonly DateTime First = new(2026, 11, 27, 10, 2, 0, DateTimeKind.Utc);
    private static readonly DateTime Last = new(2026, 11, 27, 14, 30, 0, DateTimeKind.Utc);

    private static MessageListItem Sent(bool open = true, bool link = true) => new()
    {
        Id = 1,
        Folder = MailFolder.Sent,
        Status = MessageStatus.Sent,
        Subject = "Pricing",
        OpenTracking = open,
        LinkTracking = link,
    };

    [Fact]
    public void AnUntrackedMessageShowsNoIcons()
    {
        var cut = Render<TrackingIcons>(p => p.Add(c => c.Message, Sent(open: false, link: false)));

        Assert.Empty(cut.FindAll("span[role=img]"));
    }

    [Fact]
    public void ATrackedMessageNotYetOpenedShowsOutlinedIconsOfTheKindsThatWereOn()
    {
        var cut = Render<TrackingIcons>(p => p.Add(c => c.Message, Sent(link: false)));

        var icon = cut.Find("span[role=img]");
        Assert.Equal("Not opened yet", icon.GetAttribute("aria-label"));
        Assert.DoesNotContain("track-icon--done", icon.ClassName);
        Assert.Single(cut.FindAll("span[role=img]"));
    }

    [Fact]
    public async Task AMessageOpenedManyTimesShowsAFilledIconAndTheTimesOnHover()
    {
        var provider = Render<MudPopoverProvider>();
        var cut = Render<TrackingIcons>(p => p.Add(c => c.Message, Sent(link: false) with { OpenCount = 3, FirstOpenedAt = First, LastOpenedAt = Last }));

        var icon = cut.Find("[role=img][aria-label=Opened]");
        Assert.Contains("track-icon--done", icon.ClassName);
        await cut.Find(".mud-tooltip-root").PointerEnterAsync(new());

        provider.WaitForAssertion(() => Assert.Equal(
            "Opened 3 times · first 27 Nov 2026, 10:02 · last 27 Nov 2026, 14:30",
            provider.Find(".mud-popover-open.mud-tooltip").TextContent.Trim()));
    }

    [Fact]
    public async Task AClickedMessageListsEachClickedUrlWithItsCountAndTimes()
    {
        var provider = Render<MudPopoverProvider>();
        var message = Sent(open: false) with
        {
            ClickCount = 3,
            FirstClickedAt = First,
            LastClickedAt = Last,
            Links = [new LinkClicks("https://example.com/pricing", 2, First, Last), new LinkClicks("https://example.com/demo", 1, Last, Last)],
        };
        var cut = Render<TrackingIcons>(p => p.Add(c => c.Message, message));

        Assert.NotNull(cut.Find("[role=img][aria-label='Link clicked']"));
        await cut.Find(".mud-tooltip-root").FocusInAsync(new());

        provider.WaitForAssertion(() =>
        {
            var lines = provider.FindAll(".click-tooltip > div").Select(d => d.TextContent.Trim()).ToList();
            Assert.Equal(
                [
                    "https://example.com/pricing clicked 2 times · first 27 Nov 2026, 10:02 · last 27 Nov 2026, 14:30",
                    "https://example.com/demo clicked 1 time · first 27 Nov 2026, 14:30 · last 27 Nov 2026, 14:30",
                ],
                lines);
        });
    }

    [Fact]
    public void AMessageOnlyApplesPrivacyProxyFetchedSaysItMayNotHaveBeenRead()
    {
        var cut = Render<TrackingIcons>(p => p.Add(c => c.Message, Sent(link: false) with { PrivacyOpenCount = 2 }));

        var icon = cut.Find("span[role=img]");
        Assert.Equal("Opened by Apple Mail Privacy Protection — may not have been read", icon.GetAttribute("aria-label"));
        Assert.DoesNotContain("track-icon--done", icon.ClassName);
    }

    [Fact]
    public void AnOpenInferredFromAClickIsShownAsOpenedAndSaysWhy()
    {
        var cut = Render<TrackingIcons>(p => p.Add(c => c.Message, Sent(link: false) with
        {
            OpenCount = 1, FirstOpenedAt = First, LastOpenedAt = First, OpenInferred = true, PrivacyOpenCount = 1,
        }));

        var icon = cut.Find("span[role=img]");
        Assert.Equal("Opened", icon.GetAttribute("aria-label"));
        Assert.StartsWith("Opened (inferred: images were blocked", icon.GetAttribute("aria-description"));
    }
}
