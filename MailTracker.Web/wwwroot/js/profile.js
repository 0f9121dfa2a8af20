// The profile page's password change. It is posted from the browser, not from the Blazor circuit, because the
// response renews the sign-in cookie (a circuit cannot set cookies). Resolves to [] on success, otherwise to
// Identity's error codes (or "Failed" when the server said something else).
export async function changePassword(url, tokenField, token, currentPassword, newPassword) {
    const body = new URLSearchParams();
    body.append(tokenField, token);
    body.append("currentPassword", currentPassword);
    body.append("newPassword", newPassword);
    let response;
    try {
        response = await fetch(url, { method: "POST", body, credentials: "same-origin", redirect: "error" });
    } catch {
        return ["Failed"];
    }
    if (response.status === 204) return [];
    if (response.status === 400) {
        try {
            const json = await response.json();
            if (Array.isArray(json.errors) && json.errors.length > 0) return json.errors;
        } catch {
            // Not our JSON: an antiforgery or binding failure.
        }
    }
    return ["Failed"];
}
