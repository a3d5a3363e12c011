using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Newsletter.Hosting;

public static class OptionsRegistration
{
    /// <summary>
    /// Binds a section to its options class and validates it when the host starts, reporting each
    /// failure with the full configuration key ("Smtp:Port must be between 1 and 65535").
    /// </summary>
    public static OptionsBuilder<T> AddSection<T>(this IServiceCollection services, string section)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new KeyedDataAnnotationValidator<T>(section));
        return services.AddOptions<T>()
            .BindConfiguration(section, o => o.ErrorOnUnknownConfiguration = false)
            .ValidateOnStart();
    }

    private sealed class KeyedDataAnnotationValidator<T>(string section) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
            if (results.Count == 0)
            {
                return ValidateOptionsResult.Success;
            }

            return ValidateOptionsResult.Fail(results.Select(r =>
                $"{section}:{r.MemberNames.FirstOrDefault() ?? "?"} {r.ErrorMessage}"));
        }
    }
}
