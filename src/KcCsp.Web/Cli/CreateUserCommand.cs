using System.CommandLine;
using KcCsp.Data;
using KcCsp.Data.Model;
using KcCsp.Data.People;

namespace KcCsp.Web.Cli;

/// <summary>`create-user --email e --role r [--agency a] [--name n] [--password-stdin]`: the first users, before anyone can sign in.</summary>
public static class CreateUserCommand
{
    public static Command Build(Func<IHost> buildHost, TextWriter stdout, TextWriter stderr, TextReader stdin)
    {
        var email = new Option<string>("--email") { Description = "The user's email address; they sign in with it.", Required = true };
        var role = new Option<string>("--role") { Description = $"One of {string.Join(", ", Roles.All)}.", Required = true };
        var agency = new Option<string>("--agency") { Description = $"One of {string.Join(", ", Agencies.All)}." };
        var name = new Option<string>("--name") { Description = "The name shown in the portal." };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input; otherwise a strong one is generated and printed." };
        var command = new Command("create-user", "Create a user with one role.") { email, role, agency, name, passwordStdin };
        command.SetAction(async (parse, ct) =>
        {
            if (Roles.Find(parse.GetValue(role)) is null)
            {
                await stderr.WriteLineAsync($"--role: '{parse.GetValue(role)}' is not one of {string.Join(", ", Roles.All)}.");
                return 2;
            }
            var generated = !parse.GetValue(passwordStdin);
            var password = generated ? PeopleData.GeneratePassword() : (await stdin.ReadLineAsync(ct))?.TrimEnd('\r', '\n') ?? "";
            if (password.Length == 0)
            {
                await stderr.WriteLineAsync("--password-stdin: standard input had no password.");
                return 2;
            }
            using var host = buildHost();
            await DatabaseSetup.MigrateAndSeedAsync(host.Services, ct);
            using var scope = host.Services.CreateScope();
            var creation = scope.ServiceProvider.GetRequiredService<UserCreation>();
            var (user, errors) = await creation.CreateAsync(
                new NewUser(parse.GetValue(email)!, parse.GetValue(role)!, parse.GetValue(agency) ?? "", parse.GetValue(name) ?? "", password,
                    parse.GetValue(CliPlan.Option) is { } plan ? plan.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null), "cli");
            if (user is null)
            {
                foreach (var e in errors) await stderr.WriteLineAsync(e);
                return 2;
            }
            await stdout.WriteLineAsync($"Created {user.Email} ({Roles.Find(parse.GetValue(role))}{(user.Agency.Length > 0 ? ", " + user.Agency : "")}).");
            if (generated) await stdout.WriteLineAsync($"Password: {password}");
            return 0;
        });
        return command;
    }
}
