using Automation.Ingress.Sources;
using Automation.Ingress.Tests.Infrastructure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Automation.Ingress.Tests.Sources;

/// <summary>A secret written in this repository signs forged events for anyone who reads it: no image carries one, and
/// outside the Development environment the service refuses to start with one.</summary>
public sealed class PublishedSecretTests
{
    private const string ReadmeDemoSecret = "demo-signing-secret-from-the-readme";

    [Fact]
    public void Outside_development_the_service_does_not_start_with_a_secret_published_in_the_repository()
    {
        var settings = Unreachable();
        IngressServiceFixture.AddSource(settings, "copied", "hmac-sha256-hex", [ReadmeDemoSecret], ["survey.completed"]);
        using var factory = new IngressFactory(settings, environment: Environments.Production);

        var failure = Assert.IsType<OptionsValidationException>(factory.StartupFailure());

        Assert.Contains("Ingress:Sources:copied:Secrets:0: is published in this repository", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ReadmeDemoSecret, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_development_the_settings_every_image_carries_configure_no_source()
    {
        using var factory = new IngressFactory(Unreachable(), environment: Environments.Production);

        var failure = Assert.IsType<OptionsValidationException>(factory.StartupFailure());

        Assert.Contains("Ingress:Sources: no source is configured", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_secret_written_in_the_repositorys_docs_samples_and_vectors_is_on_the_list_refused_outside_development()
    {
        var found = SecretsInTheRepository.Find();

        var unlisted = found.Where(secret => !PublishedSecrets.Contains(secret.Secret)).Select(secret => $"{secret.File}: {secret.Secret}").ToList();

        Assert.Contains(found, secret => secret.File == "README.md" && secret.Secret == ReadmeDemoSecret);
        Assert.Contains(found, secret => secret.File.EndsWith("signatures.json", StringComparison.Ordinal)
            && secret.Secret == "s3cr3t-platform-key");
        Assert.Contains(found, secret => secret.File.StartsWith("docs", StringComparison.Ordinal) && secret.Secret.StartsWith("whsec_", StringComparison.Ordinal));
        Assert.True(unlisted.Count == 0,
            "Secrets written in the repository that the Ingress would accept outside Development (add them to PublishedSecrets):\n"
            + string.Join('\n', unlisted));
    }

    private static Dictionary<string, string?> Unreachable() => new()
    {
        ["ConnectionStrings:Automation"] = "Host=127.0.0.1;Port=1;Database=none",
        ["RabbitMq:Uri"] = "amqp://guest:guest@127.0.0.1:1/",
    };
}
