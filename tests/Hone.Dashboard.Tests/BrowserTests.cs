using Hone.Report.Html;
using Hone.Report.Plots;
using Hone.Storage;
using Hone.Studies;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Hone.Dashboard.Tests;

/// <summary>
/// The report and the dashboard in Debian's headless Chromium, as a user sees them: pages load, every plot draws
/// something (an SVG is there and its screenshot is not blank), the table pages through 10,000 trials, a trial written
/// by another storage connection appears without a reload, and an exposed dashboard refuses a request without its token.
/// With HONE_UPDATE_SCREENSHOTS=1 the report's and the dashboard's screenshots are saved to docs/images for the README.
/// </summary>
public sealed class BrowserTests : IClassFixture<BrowserFixture>, IDisposable
{
    /// <summary>Below this luminance variance a screenshot is taken as blank (one colour, or nearly).</summary>
    private const double BlankVariance = 20;

    private readonly string _folder = Directory.CreateTempSubdirectory("hone-browser-").FullName;
    private readonly BrowserFixture _browser;

    public BrowserTests(BrowserFixture browser) => _browser = browser;

    private ChromeDriver Driver => _browser.Driver;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static void AssertDrawn(IWebElement plot, string what)
    {
        Assert.NotEmpty(plot.FindElements(By.CssSelector("svg.main-svg")));
        var variance = PngImage.LuminanceVariance(((ITakesScreenshot)plot).GetScreenshot().AsByteArray);
        Assert.True(variance > BlankVariance, $"{what}: the screenshot is blank (luminance variance {variance:0.0})");
    }

    /// <summary>Checks the page's screenshot is not blank; with HONE_UPDATE_SCREENSHOTS=1 also saves it as docs/images/<paramref name="name"/> (the README's).</summary>
    private void SaveScreenshot(string name)
    {
        var screenshot = Driver.GetScreenshot();
        Assert.True(PngImage.LuminanceVariance(screenshot.AsByteArray) > BlankVariance, $"{name}: the page's screenshot is blank");
        if (Environment.GetEnvironmentVariable("HONE_UPDATE_SCREENSHOTS") == "1")
        {
            var images = Path.Combine(Browser.RepositoryRoot(), "docs", "images");
            Directory.CreateDirectory(images);
            screenshot.SaveAsFile(Path.Combine(images, name));
        }
    }

    private void SelectPlot(string kind) => ((IJavaScriptExecutor)Driver).ExecuteScript(
        "var s = document.getElementById('plot-kind'); s.value = arguments[0]; s.dispatchEvent(new Event('change'));", kind);

    [BrowserFact]
    public void Report_OpensOffline_AndEveryPlotRenders()
    {
        var storage = new InMemoryStorage();
        Studies.Mixed(storage);
        using var study = Study.Load(new StudyOptions { Name = "mixed", Storage = storage });
        var path = Path.Combine(_folder, "report.html");
        File.WriteAllText(path, HtmlReport.Render(study));
        var kinds = StudyPlots.All(study).Select(f => f.Kind).ToList();

        Driver.Navigate().GoToUrl(new Uri(path).AbsoluteUri);

        Browser.WaitUntil(() => Driver.FindElements(By.CssSelector(".plot[data-rendered='true']")).Count == kinds.Count, "every plot of the report to render");
        foreach (var kind in kinds)
        {
            var plot = Driver.FindElement(By.Id($"plot-{kind}"));
            ((IJavaScriptExecutor)Driver).ExecuteScript("arguments[0].scrollIntoView(true);", plot);
            AssertDrawn(plot, $"report plot {kind}");
        }

        ((IJavaScriptExecutor)Driver).ExecuteScript("window.scrollTo(0, 0);");
        SaveScreenshot("report.png");
    }

    [BrowserFact]
    public async Task Dashboard_EveryPlotRenders_ForOneAndTwoObjectives()
    {
        var storage = new InMemoryStorage();
        Studies.Mixed(storage);
        Studies.TwoObjectives(storage);
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Storage = storage, Port = 0 });

        foreach (var name in new[] { "two", "mixed" })
        {
            var id = storage.FindStudy(name)!.Value;
            using var study = Study.Load(new StudyOptions { Name = name, Storage = storage });
            var kinds = StudyPlots.All(study).Select(f => f.Kind).ToList();
            Driver.Navigate().GoToUrl(new Uri(server.Address, $"#{id}"));
            Driver.Navigate().Refresh();
            Browser.WaitUntil(() => Driver.FindElements(By.CssSelector("#trial-table tbody tr")).Count > 0, $"the trial table of {name}");
            if (name == "mixed")
            {
                Assert.Contains("dataset", Driver.FindElement(By.Id("user-attrs")).Text, StringComparison.Ordinal);
                Assert.Contains("fold_scores=", Driver.FindElement(By.Id("trial-table")).Text, StringComparison.Ordinal);
            }

            foreach (var kind in kinds)
            {
                SelectPlot(kind);
                Browser.WaitUntil(() => Driver.FindElement(By.Id("plot")).GetAttribute("data-rendered") == kind, $"dashboard plot {kind} of {name}");
                AssertDrawn(Driver.FindElement(By.Id("plot")), $"dashboard plot {kind} of {name}");
            }
        }

        SelectPlot("history");
        Browser.WaitUntil(() => Driver.FindElement(By.Id("plot")).GetAttribute("data-rendered") == "history", "the history plot");
        SaveScreenshot("dashboard.png");
    }

    [BrowserFact]
    public async Task Dashboard_TablePagesThroughTenThousandTrials()
    {
        var storage = new InMemoryStorage();
        Studies.Many(storage, "many", 10_000);
        var id = storage.FindStudy("many")!.Value;
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Storage = storage, Port = 0 });

        Driver.Navigate().GoToUrl(new Uri(server.Address, $"#{id}"));
        Browser.WaitUntil(() => Driver.FindElement(By.Id("page-info")).Text.Contains("of 200 (10000 trials)", StringComparison.Ordinal), "the first page of 200");
        int FirstNumber() => int.Parse(Driver.FindElement(By.CssSelector("#trial-table tbody tr")).GetAttribute("data-number")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, FirstNumber());
        for (var page = 1; page <= 3; page++)
        {
            Driver.FindElement(By.Id("next")).Click();
            Browser.WaitUntil(() => FirstNumber() == page * 50, $"page {page + 1}");
        }

        Driver.FindElement(By.CssSelector("th[data-sort='number']")).Click();
        Browser.WaitUntil(() => FirstNumber() == 9999, "sorting by number, descending");
        Driver.FindElement(By.CssSelector("th[data-sort='value:0']")).Click();
        var best = ((IStorage)storage).GetAllTrials(id).MinBy(t => t.Values![0])!.Number;
        Browser.WaitUntil(() => FirstNumber() == best, "sorting by value, best first");
        Assert.Equal(50, Driver.FindElements(By.CssSelector("#trial-table tbody tr")).Count);
    }

    [BrowserFact]
    public async Task Dashboard_TrialFinishedByAnotherConnection_AppearsWithoutReload()
    {
        var url = StorageUrl.Parse($"sqlite:///{Path.Combine(_folder, "live.db")}");
        var dashboardStorage = url.Open();
        Studies.Many(dashboardStorage, "live", 3);
        var id = dashboardStorage.FindStudy("live")!.Value;
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Storage = dashboardStorage, Port = 0, PollMilliseconds = 300 });
        Driver.Navigate().GoToUrl(new Uri(server.Address, $"#{id}"));
        Browser.WaitUntil(() => Driver.FindElements(By.CssSelector("#trial-table tbody tr")).Count == 3, "the three first trials");
        ((IJavaScriptExecutor)Driver).ExecuteScript("window.__sameDocument = true;");

        using (var writer = Study.Load("live", url))
        {
            writer.Optimize(t => t.SuggestFloat("x", 0, 1), new OptimizeOptions { Trials = 1 });
        }

        Browser.WaitUntil(() => Driver.FindElements(By.CssSelector("#trial-table tbody tr[data-number='3']")).Count == 1, "trial 3, written by another connection, in the table");
        Assert.Equal(true, ((IJavaScriptExecutor)Driver).ExecuteScript("return window.__sameDocument === true;"));
        (dashboardStorage as IDisposable)?.Dispose();
    }

    [BrowserFact]
    public async Task ExposedDashboard_WithoutToken_IsRefused_WithTokenLoads()
    {
        var storage = new InMemoryStorage();
        Studies.Many(storage, "secret", 5);
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Storage = storage, Host = "0.0.0.0", Port = 0, Token = "t0k3n" });
        var address = new Uri($"http://127.0.0.1:{server.Address.Port}/");

        Driver.Navigate().GoToUrl(address);
        Assert.Contains("401", Driver.FindElement(By.TagName("body")).Text, StringComparison.Ordinal);
        Assert.Empty(Driver.FindElements(By.Id("studies")));

        Driver.Navigate().GoToUrl(new Uri(address, "?token=t0k3n"));
        Browser.WaitUntil(() => Driver.FindElements(By.CssSelector("#trial-table tbody tr")).Count == 5, "the study's table with the token");
    }
}

/// <summary>One Chromium for all the browser tests (starting it is the slow part); started on first use.</summary>
public sealed class BrowserFixture : IDisposable
{
    private ChromeDriver? _driver;

    public ChromeDriver Driver => _driver ??= Browser.Start();

    public void Dispose()
    {
        _driver?.Quit();
        _driver?.Dispose();
    }
}
