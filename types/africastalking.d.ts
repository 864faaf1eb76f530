// The africastalking SDK ships no types; this is the part of its API the hotline uses.
declare module 'africastalking' {
  interface SmsSendOptions {
    to: string[];
    message: string;
    from?: string;
  }
  interface VoiceCallOptions {
    callFrom: string;
    callTo: string[];
    clientRequestId?: string;
  }
  interface AfricasTalkingClient {
    SMS: { send(options: SmsSendOptions): Promise<any> };
    VOICE: { call(options: VoiceCallOptions): Promise<any> };
  }
  export default function AfricasTalking(options: { username: string; apiKey: string }): AfricasTalkingClient;
}
