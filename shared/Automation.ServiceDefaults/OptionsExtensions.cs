using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Automation.ServiceDefaults;

public static class OptionsExtensions
{
    /// <summary>Binds <typeparamref name="TOptions"/> to a configuration section and validates its data annotations when
    /// the host starts, so a bad setting stops the service with a message naming the key instead of failing on first use.</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string sectionName)
        where TOptions : class
    {
        services.AddSingleton<IValidateOptions<TOptions>>(new DataAnnotationsValidator<TOptions>(sectionName));
        return services.AddOptions<TOptions>().BindConfiguration(sectionName).ValidateOnStart();
    }

    /// <summary>Reports each failed annotation with its full configuration key, e.g. <c>RabbitMq:Uri</c>.</summary>
    private sealed class DataAnnotationsValidator<TOptions>(string sectionName) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var results = new List<ValidationResult>();
            if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            {
                return ValidateOptionsResult.Success;
            }

            return ValidateOptionsResult.Fail(results.Select(result =>
                $"{string.Join(", ", result.MemberNames.Select(member => $"{sectionName}:{member}"))}: {result.ErrorMessage}"));
        }
    }
}
