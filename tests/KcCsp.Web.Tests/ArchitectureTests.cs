using System.Reflection;
using KcCsp.Data;

namespace KcCsp.Web.Tests;

/// <summary>
/// docs/architecture.md's rule, checked: every use case that reads or writes the database lives in KcCsp.Data, so no
/// type of the web project takes the DbContext, except the hosting set-up listed here.
/// </summary>
public sealed class ArchitectureTests
{
    /// <summary>Hosting, not use cases: the readiness check asks the database whether it is reachable and migrated.</summary>
    private static readonly string[] HostingAllowList =
    [
        "KcCsp.Web.Features.DatabaseHealthCheck",
    ];

    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static bool IsContext(Type type) =>
        typeof(KcCspDbContext).IsAssignableFrom(type)
        || (type.HasElementType && IsContext(type.GetElementType()!))
        || (type.IsGenericType && type.GetGenericArguments().Any(IsContext));

    private static IEnumerable<(Type Type, MethodBase Member)> TakersOfTheContext() =>
        from type in typeof(Program).Assembly.GetTypes()
        from member in type.GetConstructors(Everything).Cast<MethodBase>().Concat(type.GetMethods(Everything))
        where member.GetParameters().Any(p => IsContext(p.ParameterType))
        select (type, member);

    private static string Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type.FullName!;

    [Fact]
    public void No_web_type_but_the_hosting_set_up_takes_the_DbContext()
    {
        var offenders = TakersOfTheContext()
            .Where(t => !HostingAllowList.Contains(Outermost(t.Type)))
            .Select(t => $"{t.Type.FullName}.{t.Member.Name}")
            .Distinct().ToList();
        offenders.Should().BeEmpty("database use cases live in KcCsp.Data (docs/architecture.md); the web project calls them");
    }

    [Fact]
    public void The_check_finds_what_it_looks_for()
    {
        // The allow-listed type does take the context: the check is looking at constructors, not at nothing.
        TakersOfTheContext().Select(t => Outermost(t.Type)).Should().Contain(HostingAllowList);
    }
}
