// MailTracker's small browser helpers. Everything else runs on the server (Blazor Server).
window.mailTracker = (function () {
    let live = null; // { connection, dotnet }
    const desktopKey = "mailTracker.desktopNotifications";

    return {
        // Saves text the circuit made (Insights' CSV export) as a file.
        download(name, type, text) {
            const url = URL.createObjectURL(new Blob([text], { type: type + ";charset=utf-8" }));
            const link = document.createElement("a");
            link.href = url;
            link.download = name;
            document.body.appendChild(link);
            link.click();
            link.remove();
            setTimeout(() => URL.revokeObjectURL(url), 10000);
        },

        submitForm(id) {
            const form = document.getElementById(id);
            if (form) form.submit();
        },

        live: {
            // The bell's live channel: a SignalR connection to the notification hub; each push is handed
            // to the circuit, which re-reads what changed. Reconnects forever, telling the circuit to resync.
            async start(dotnet, url) {
                const connection = new signalR.HubConnectionBuilder()
                    .withUrl(url)
                    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(30000, 500 * 2 ** ctx.previousRetryCount) })
                    .build();
                connection.on("push", e => dotnet.invokeMethodAsync("OnPush", e));
                connection.onreconnected(() => dotnet.invokeMethodAsync("OnReconnected"));
                connection.onclose(() => setTimeout(() => startWithRetry(connection, dotnet, 1), 2000));
                if (live) await live.connection.stop();
                live = { connection, dotnet };
                await startWithRetry(connection, dotnet, 0);
            },
            async stop() {
                const current = live;
                live = null;
                if (current) await current.connection.stop();
            },
        },

        desktop: {
            // Desktop notifications (the browser's Notification API), per browser: switched on in Settings › Profile,
            // which asks for the permission on the user's click; remembered in this browser's storage.
            state() {
                if (!("Notification" in window)) return "unsupported";
                if (Notification.permission === "denied") return "denied";
                return Notification.permission === "granted" && localStorage.getItem(desktopKey) === "on" ? "on" : "off";
            },
            async enable() {
                if (!("Notification" in window)) return "unsupported";
                const permission = await Notification.requestPermission();
                if (permission === "granted") localStorage.setItem(desktopKey, "on");
                return this.state();
            },
            disable() {
                localStorage.removeItem(desktopKey);
                return this.state();
            },
            enabled() {
                return this.state() === "on";
            },
            show(title, body, tag, url) {
                if (!this.enabled()) return;
                const notification = new Notification(title, { body, tag, icon: "favicon.png" });
                notification.onclick = () => {
                    window.focus();
                    location.assign(new URL(url, document.baseURI).href);
                    notification.close();
                };
            },
        },

        editor: {
            // The composer's rich-text box: a contenteditable region with a few formatting commands.
            getHtml(element) {
                return element ? element.innerHTML : "";
            },
            getHtmlLength(element) {
                return element ? element.innerHTML.length : 0;
            },
            // The body's HTML as UTF-8 bytes: the circuit streams them, however large the body.
            getHtmlBytes(element) {
                return new TextEncoder().encode(element ? element.innerHTML : "");
            },
            setHtml(element, html) {
                if (element) element.innerHTML = html;
            },
            command(element, name, value) {
                if (!element) return;
                element.focus();
                if (name === "createLink") {
                    const url = value || window.prompt(element.dataset.linkPrompt || "Link address (https://…)", "https://");
                    if (!url) return;
                    document.execCommand("createLink", false, url);
                } else {
                    document.execCommand(name, false, value || null);
                }
            },
        },
    };

    async function startWithRetry(connection, dotnet, attempt) {
        if (!live || live.connection !== connection) return;
        try {
            await connection.start();
            if (attempt > 0) await dotnet.invokeMethodAsync("OnReconnected");
        } catch {
            setTimeout(() => startWithRetry(connection, dotnet, attempt + 1), Math.min(30000, 1000 * 2 ** attempt));
        }
    }
})();
