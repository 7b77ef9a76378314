using System.ComponentModel.DataAnnotations;
using KcCsp.Data;
using KcCsp.Data.Model;
using KcCsp.Data.People;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers;

public sealed class SignInForm
{
    [Required(ErrorMessage = "Give your email address.")]
    public string Email { get; set; } = "";
    [Required(ErrorMessage = "Give your password.")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";
    public string? ReturnUrl { get; set; }
}

public sealed class ChangePasswordForm
{
    [Required(ErrorMessage = "Give your current password.")]
    [DataType(DataType.Password)]
    public string CurrentPassword { get; set; } = "";
    [Required(ErrorMessage = "Give the new password.")]
    [DataType(DataType.Password)]
    public string NewPassword { get; set; } = "";
    [Required(ErrorMessage = "Give the new password again.")]
    [DataType(DataType.Password)]
    [Compare(nameof(NewPassword), ErrorMessage = "The two new passwords are not the same.")]
    public string ConfirmPassword { get; set; } = "";
}

public sealed class AccountController(SignInManager<PortalUser> signIn, UserManager<PortalUser> users, UserAdminService people) : Controller
{
    /// <summary>
    /// One message for every failed sign-in. A separate "locked" message would tell whoever tries an address six
    /// times whether it has an account (only real accounts lock).
    /// </summary>
    public const string SignInFailed =
        "The email address or password is not right, or the account is locked: after 5 failed sign-ins an account is locked for 15 minutes, and an administrator can unlock it.";

    [AllowAnonymous]
    [HttpGet("/sign-in")]
    public IActionResult SignIn(string? returnUrl) => View(new SignInForm { ReturnUrl = returnUrl });

    [AllowAnonymous]
    [HttpPost("/sign-in")]
    public async Task<IActionResult> SignIn(SignInForm form)
    {
        if (!ModelState.IsValid) return View(form);
        var result = await signIn.PasswordSignInAsync(form.Email.Trim(), form.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            // Only ever back into the portal: an open redirect would make the sign-in page a phishing tool.
            return Url.IsLocalUrl(form.ReturnUrl) ? LocalRedirect(form.ReturnUrl) : LocalRedirect("/");
        }
        ModelState.AddModelError("", SignInFailed);
        form.Password = "";
        return View(form);
    }

    /// <summary>Signing out renews the security stamp: the cookie, and any copy of it, is no longer accepted anywhere.</summary>
    [HttpPost("/sign-out")]
    public async Task<IActionResult> SignOutOfPortal()
    {
        if (await users.GetUserAsync(User) is { } user) await users.UpdateSecurityStampAsync(user);
        await signIn.SignOutAsync();
        return LocalRedirect("/sign-in");
    }

    [HttpGet("/account/password")]
    public IActionResult ChangePassword() => View(new ChangePasswordForm());

    [HttpPost("/account/password")]
    public async Task<IActionResult> ChangePassword(ChangePasswordForm form)
    {
        if (!ModelState.IsValid) return Blank(form);
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        // The change renews the security stamp, which signs out the user's other sessions; this one is signed in again below.
        var changed = await people.ChangePasswordAsync(user, form.CurrentPassword, form.NewPassword);
        if (!changed.Succeeded)
        {
            foreach (var error in changed.Errors)
                ModelState.AddModelError("", error.Code == "PasswordMismatch" ? "The current password is not right." : error.Description);
            return Blank(form);
        }
        await signIn.RefreshSignInAsync(user);
        TempData["Message"] = "Your password is changed. Other browsers where you were signed in are signed out.";
        return Redirect("/account/password");
    }

    private ViewResult Blank(ChangePasswordForm form)
    {
        form.CurrentPassword = form.NewPassword = form.ConfirmPassword = "";
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View(form);
    }
}
