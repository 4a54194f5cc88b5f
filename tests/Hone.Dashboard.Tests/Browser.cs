using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Hone.Dashboard.Tests;

/// <summary>Debian's Chromium, headless, through Debian's chromedriver (no browser download).</summary>
internal static class Browser
{
    public const string Chromium = "/usr/bin/chromium";
    public const string Driver = "/usr/bin/chromedriver";

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why the browser tests cannot run here, or null when they can.</summary>
    public static string? WhyMissing =>
        File.Exists(Chromium) && File.Exists(Driver) ? null : $"{Chromium} or {Driver} is missing; apt-get install -y chromium chromium-driver";

    public static ChromeDriver Start()
    {
        if (WhyMissing is { } why)
        {
            throw new InvalidOperationException(why);
        }

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000", "--hide-scrollbars");
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
        return driver;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling; fails with <paramref name="what"/> after the timeout.</summary>
    public static void WaitUntil(Func<bool> condition, string what, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (condition())
                {
                    return;
                }
            }
            catch (WebDriverException)
            {
            }
            catch (InvalidOperationException)
            {
            }

            Thread.Sleep(100);
        }

        Assert.Fail($"Timed out after {seconds} s waiting for {what}");
    }

    /// <summary>The repository's root (for docs/images).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Hone.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Hone.slnx not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A test that needs Chromium: skipped with the reason locally when it is missing, run (and failing) when CI=true.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Browser.WhyMissing is { } why && !Browser.InCi)
        {
            Skip = why;
        }
    }
}
