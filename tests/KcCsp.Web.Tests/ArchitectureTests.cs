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

    /// <summary>Set-up, not use cases: data-protection keys are kept in the database through the context.</summary>
    private static readonly string[] SetUpAllowList =
    [
        "KcCsp.Web.Features.Deployment",
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

    /// <summary>
    /// Methods whose bodies call a generic method with the context as a type argument: a service locator
    /// (<c>GetRequiredService&lt;KcCspDbContext&gt;()</c>) or set-up (<c>PersistKeysToDbContext&lt;KcCspDbContext&gt;()</c>).
    /// Calls are found by their opcodes (call, callvirt) and resolved through the module.
    /// </summary>
    private static IEnumerable<(Type Type, MethodBase Member)> ResolversOfTheContext()
    {
        var module = typeof(Program).Assembly.ManifestModule;
        foreach (var type in typeof(Program).Assembly.GetTypes())
        foreach (var member in type.GetConstructors(Everything).Cast<MethodBase>().Concat(type.GetMethods(Everything)))
        {
            var il = member.GetMethodBody()?.GetILAsByteArray();
            if (il is null) continue;
            for (var i = 0; i + 4 < il.Length; i++)
            {
                if (il[i] is not (0x28 or 0x6F)) continue;
                var token = BitConverter.ToInt32(il, i + 1);
                if ((token >> 24) is not (0x0A or 0x2B)) continue; // MemberRef or MethodSpec
                MethodBase? called;
                try
                {
                    called = module.ResolveMethod(token, type.IsGenericType ? type.GetGenericArguments() : null,
                        member.IsGenericMethod ? member.GetGenericArguments() : null);
                }
                catch (ArgumentException)
                {
                    continue;
                }
                if (called is MethodInfo { IsGenericMethod: true } m && m.GetGenericArguments().Any(IsContext)) yield return (type, member);
            }
        }
    }

    [Fact]
    public void No_web_code_but_the_set_up_asks_for_the_DbContext_by_type()
    {
        var offenders = ResolversOfTheContext()
            .Where(t => !HostingAllowList.Contains(Outermost(t.Type)) && !SetUpAllowList.Contains(Outermost(t.Type)))
            .Select(t => $"{t.Type.FullName}.{t.Member.Name}")
            .Distinct().ToList();
        offenders.Should().BeEmpty("a service locator is a way round the constructor check; use cases live in KcCsp.Data");
        ResolversOfTheContext().Select(t => Outermost(t.Type)).Should().Contain(SetUpAllowList, "the scan finds the one known use");
    }

    [Fact]
    public void The_check_finds_what_it_looks_for()
    {
        // The allow-listed type does take the context: the check is looking at constructors, not at nothing.
        TakersOfTheContext().Select(t => Outermost(t.Type)).Should().Contain(HostingAllowList);
    }
}
